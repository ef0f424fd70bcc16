// The project column of the quota tables: the project's name, linked to its GPU quota page.
import React from 'react';
import { Link } from 'react-router-dom';
import { t, type Column } from '@ks-gpu-ml/ui';

export function projectColumn<P extends { namespace: string }>(quotaPage: (project: P) => string): Column<P> {
  return {
    key: 'namespace',
    title: t('gpu-quota.col.project'),
    sortValue: (p) => p.namespace,
    render: (p) => (
      <Link data-testid="project-link" to={quotaPage(p)}>
        {p.namespace}
      </Link>
    ),
  };
}
