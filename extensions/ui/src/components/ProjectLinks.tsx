import React from 'react';
import { Link } from 'react-router-dom';
import styled from 'styled-components';
import { platformRoutes } from '@ks-gpu-ml/contracts';
import { useRouteApi } from '../api-client.js';
import { t } from '../i18n.js';
import { installedExtensions, layoutPath, reachableProjectPages } from '../project-pages.js';
import { UI_IDS } from '../test-ids.js';

const Links = styled.span`
  display: inline-flex;
  gap: 16px;
  a {
    color: #3385ff;
  }
`;

export interface ProjectLinksProps {
  namespace: string;
  /** The layout the links open in: the workspace's when set, else the cluster's. */
  workspace?: string | undefined;
  cluster?: string | undefined;
  /** The extension of the page these links sit on (no link to itself). */
  except?: string;
  /** Shown when no page of the project may be opened (nothing by default). */
  none?: React.ReactNode;
}

/**
 * Links to the project's pages in the other extensions, each offered only when its extension is installed and
 * the backend says the caller may read what the page shows (the project's capabilities; docs/adr/0020).
 */
export function ProjectLinks({ namespace, workspace, cluster, except, none = null }: ProjectLinksProps) {
  const caps = useRouteApi(platformRoutes.listNamespaceCapabilities, {
    params: { namespace },
    cluster: workspace ? undefined : cluster,
  });
  // Nothing is offered before the answer, nor when the question failed: a link that might be refused is not offered.
  if (!caps.data) return null;
  const pages = reachableProjectPages(caps.data, installedExtensions(), except);
  const layout = layoutPath({ workspace, cluster });
  return (
    <Links data-testid={UI_IDS.projectLinks} data-project={namespace}>
      {pages.length === 0
        ? none
        : pages.map((page) => (
            <Link
              key={page.extension}
              to={page.path(layout, namespace)}
              data-testid={UI_IDS.projectLink}
              data-extension={page.extension}
            >
              {t(page.titleKey)}
            </Link>
          ))}
    </Links>
  );
}
