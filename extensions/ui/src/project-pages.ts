// Which feature pages about one project the caller can reach, decided before a link is offered: the page's
// extension is installed in the console (the BFF lists the JSBundles as globals.installedExtensions) and the
// backend says the caller may call the route the page shows (the project's capabilities list). See docs/adr/0020.
import {
  gpuMonitoringRoutes,
  gpuQuotaRoutes,
  mlAppsRoutes,
  type CapabilityList,
  type RouteSpec,
} from '@ks-gpu-ml/contracts';

/** A feature's page about one project. */
export interface ProjectPage {
  /** The extension that registers the page (its JSBundle's kubesphere.io/extension-ref). */
  extension: string;
  /** i18n key of the link's text. */
  titleKey: string;
  /** The page's path in a workspace or cluster layout (`/workspaces/<ws>` or `/clusters/<c>`). */
  path: (layout: string, namespace: string) => string;
  /** The route whose answer the page shows: a caller it would refuse is offered no link. */
  needs: RouteSpec;
}

const seg = encodeURIComponent;

/** Every project page of the bundle. */
export const PROJECT_PAGES: readonly ProjectPage[] = [
  {
    extension: 'gpu-quota',
    titleKey: 'ui.projectPages.quota',
    path: (layout, ns) => `${layout}/gpu-quota/projects/${seg(ns)}`,
    needs: gpuQuotaRoutes.getProjectQuota,
  },
  {
    extension: 'gpu-monitoring',
    titleKey: 'ui.projectPages.usage',
    path: (layout, ns) => `${layout}/gpu-monitoring/projects/${seg(ns)}`,
    needs: gpuMonitoringRoutes.getProjectUsage,
  },
  {
    extension: 'ml-apps',
    titleKey: 'ui.projectPages.notebooks',
    path: (layout, ns) => `${layout}/ml-apps/projects/${seg(ns)}/notebooks`,
    needs: mlAppsRoutes.listNotebooks,
  },
];

/** The layout a page is in: the workspace's when there is a workspace, else the cluster's. */
export const layoutPath = (params: { workspace?: string | undefined; cluster?: string | undefined }) =>
  params.workspace ? `/workspaces/${seg(params.workspace)}` : `/clusters/${seg(params.cluster ?? '')}`;

interface ConsoleGlobals {
  installedExtensions?: { extensionName?: string }[];
}

/** The extensions whose bundle the console loaded (globals.installedExtensions, written by the BFF). */
export function installedExtensions(globals?: ConsoleGlobals): Set<string> {
  const list =
    globals?.installedExtensions ??
    (globalThis as { globals?: ConsoleGlobals }).globals?.installedExtensions ??
    [];
  return new Set(list.map((e) => e.extensionName).filter((n): n is string => Boolean(n)));
}

/** Whether a capabilities list allows a route (absent: the backend does not serve the route's feature). */
export function capabilityAllows(list: CapabilityList | undefined, route: RouteSpec): boolean {
  return (
    list?.items.some(
      (item) =>
        item.group === route.group &&
        item.resource === route.resource &&
        (item.subresource ?? '') === (route.subresource ?? '') &&
        item.verbs.includes(route.verb),
    ) ?? false
  );
}

/** The project pages to link to: installed, allowed, and not the page the caller is on. */
export function reachableProjectPages(
  capabilities: CapabilityList | undefined,
  installed: ReadonlySet<string>,
  except?: string,
): ProjectPage[] {
  return PROJECT_PAGES.filter(
    (page) =>
      page.extension !== except &&
      installed.has(page.extension) &&
      capabilityAllows(capabilities, page.needs),
  );
}
