import React, { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import styled from 'styled-components';
import { platformRoutesOfGroup, type CapabilityList } from '@ks-gpu-ml/contracts';
import { getRoute } from '../api-client.js';
import { t } from '../i18n.js';
import { PROJECT_PAGES, installedExtensions, layoutPath, reachableProjectPages } from '../project-pages.js';
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
 * The caller's capabilities in a project, asked of each of `groups`' own extension (docs/adr/0026) and merged;
 * undefined until every extension answered. An extension that fails or is not installed (404/503) adds nothing.
 */
function useCapabilitiesIn(groups: readonly string[], namespace: string, cluster: string | undefined) {
  const [merged, setMerged] = useState<CapabilityList | undefined>();
  const key = groups.join(',');
  useEffect(() => {
    let live = true;
    setMerged(undefined);
    const ask = (group: string) =>
      getRoute(platformRoutesOfGroup(group).listNamespaceCapabilities, { params: { namespace }, cluster });
    void Promise.allSettled(groups.map(ask)).then((answers) => {
      const items = answers.flatMap((a) => (a.status === 'fulfilled' ? a.value.items : []));
      if (live) setMerged({ scope: 'namespace', scopeName: namespace, items });
    });
    return () => {
      live = false;
    };
  }, [key, namespace, cluster]);
  return merged;
}

/**
 * Links to the project's pages in the other extensions, each offered only when its extension is installed and
 * that extension says the caller may read what the page shows (the project's capabilities; docs/adr/0020).
 */
export function ProjectLinks({ namespace, workspace, cluster, except, none = null }: ProjectLinksProps) {
  const installed = installedExtensions();
  const groups = PROJECT_PAGES.filter((p) => p.extension !== except && installed.has(p.extension)).map(
    (p) => p.needs.group,
  );
  const caps = useCapabilitiesIn(groups, namespace, workspace ? undefined : cluster);
  // Nothing is offered before the answers: a link that might be refused is not offered.
  if (!caps) return null;
  const pages = reachableProjectPages(caps, installed, except);
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
