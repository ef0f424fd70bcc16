// Open: a running notebook made here opens in a new tab at its path under the console's ReverseProxy, which our
// backend authorizes and forwards to the notebook's Jupyter (docs/adr/0046). Offered only when the caller may stop
// or start the notebook (what the backend checks: opening runs code as it), only on the console's own cluster (the
// notebook's base URL has no /clusters/<name> prefix), and never for a notebook made elsewhere (no openPath).
import React from 'react';
import { Button } from '@kubed/components';
import type { Notebook } from '@ks-gpu-ml/contracts';
import { t } from '@ks-gpu-ml/ui';
import { ML_IDS } from '../test-ids.js';

/** Whether Open is offered for `nb`, given whether the caller may update notebooks and the page's cluster. */
export const opensHere = (nb: Notebook, mayOpen: boolean | undefined, cluster: string | undefined) =>
  mayOpen === true && cluster === undefined && nb.status.phase === 'running' && nb.openPath !== undefined;

export function OpenNotebookButton(props: { nb: Notebook }) {
  const path = props.nb.openPath;
  if (!path) return null;
  return (
    <Button
      size="sm"
      data-testid={ML_IDS.open}
      title={t('ml-apps.action.openTitle', { name: props.nb.name })}
      // noopener: the notebook's page gets no handle on the console's window.
      onClick={() => void window.open(path, '_blank', 'noopener,noreferrer')}
    >
      {t('ml-apps.action.open')}
    </Button>
  );
}
