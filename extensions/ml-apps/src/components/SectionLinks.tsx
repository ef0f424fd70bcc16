import React from 'react';
import { Link } from 'react-router-dom';
import { t } from '@ks-gpu-ml/ui';

const SECTIONS = ['notebooks', 'trainjobs', 'models', 'serving'] as const;

/** A project's ML app pages, linked from each other. */
export function SectionLinks({ workspace, namespace }: { workspace: string; namespace: string }) {
  const base = `/workspaces/${encodeURIComponent(workspace)}/ml-apps/projects/${encodeURIComponent(namespace)}`;
  return (
    <span>
      {SECTIONS.map((section) => (
        <Link
          key={section}
          to={`${base}/${section}`}
          data-testid={`ml-section-${section}`}
          style={{ marginRight: 12 }}
        >
          {t(`ml-apps.${section}.title`)}
        </Link>
      ))}
    </span>
  );
}
