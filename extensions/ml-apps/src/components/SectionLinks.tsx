import React from 'react';
import { Link } from 'react-router-dom';
import { t } from '@ks-gpu-ml/ui';
import { ML_IDS } from '../test-ids.js';

const SECTIONS = ['notebooks', 'trainjobs'] as const;

/** A project's ML app pages, linked from each other. */
export function SectionLinks({ workspace, namespace }: { workspace: string; namespace: string }) {
  const base = `/workspaces/${encodeURIComponent(workspace)}/ml-apps/projects/${encodeURIComponent(namespace)}`;
  return (
    <span>
      {SECTIONS.map((section) => (
        <Link
          key={section}
          to={`${base}/${section}`}
          data-testid={ML_IDS.sectionLink(section)}
          style={{ marginRight: 12 }}
        >
          {t(`ml-apps.${section}.title`)}
        </Link>
      ))}
    </span>
  );
}
