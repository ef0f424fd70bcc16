import React from 'react';
import styled from 'styled-components';
import { t } from '@ks-gpu-ml/ui';
import { ML_IDS } from '../test-ids.js';

const Said = styled.div`
  color: #79879c;
  font-size: 12px;
  max-width: 420px;
  white-space: normal;
`;

/**
 * A notebook's, a job's or a job node's state: the phase, and for a waiting or failed one the upstream's reason
 * and message as they were said.
 */
export function StatusCell(props: {
  status: { phase: string; reason?: string; message?: string };
  testId?: string;
}) {
  const { phase, reason, message } = props.status;
  return (
    <div data-testid={props.testId ?? ML_IDS.status}>
      <strong>{t(`ml-apps.phase.${phase}`)}</strong>
      {reason && ` · ${reason === 'NoPod' ? t('ml-apps.noPod') : reason}`}
      {message && <Said data-testid={ML_IDS.statusMessage}>{message}</Said>}
    </div>
  );
}

/**
 * The Kueue queue a job waits in or was admitted from, when Kueue manages it; while it waits, its place in the
 * LocalQueue and the ClusterQueue (1-based here; Kueue counts from 0), or why Kueue gives none.
 */
export function QueueLine({ queue }: { queue: KueueQueue | undefined }) {
  if (!queue) return null;
  return (
    <div data-testid={ML_IDS.queue} style={{ color: '#79879c' }}>
      {t(queue.admitted ? 'ml-apps.queue.admitted' : 'ml-apps.queue.waiting', { name: queue.name })}
      {!queue.admitted && queue.position && (
        <span data-testid={ML_IDS.queuePosition}>
          {' · '}
          {t('ml-apps.queue.position', {
            local: queue.position.inLocalQueue + 1,
            cluster: queue.position.inClusterQueue + 1,
          })}
        </span>
      )}
      {!queue.admitted && queue.positionUnavailable && (
        <span data-testid={ML_IDS.queuePosition}>
          {' · '}
          {t(`ml-apps.queue.noPosition.${queue.positionUnavailable}`)}
        </span>
      )}
    </div>
  );
}

type KueueQueue = {
  name: string;
  admitted: boolean;
  position?: { inLocalQueue: number; inClusterQueue: number } | undefined;
  positionUnavailable?: 'not-served' | 'unreachable' | 'not-listed' | undefined;
};
