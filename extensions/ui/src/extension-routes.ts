// How a feature's console extension hangs its pages off the console's layouts: every route under the cluster or
// the workspace layout (never 4.1's project layout, whose routes 4.2 changed), at `<layout>/<feature><path>`.
// One helper, so each extension's index lists its pages and nothing else; one more for its menu entries.
import React from 'react';

/** The console's cluster layout. */
export const CLUSTER_LAYOUT = '/clusters/:cluster';
/** The console's workspace layout. */
export const WORKSPACE_LAYOUT = '/workspaces/:workspace';

export type ConsoleLayout = typeof CLUSTER_LAYOUT | typeof WORKSPACE_LAYOUT;

/** A route as the console registers it (kubesphere-extensions.md §4.1). */
export interface ExtensionRoute {
  path: string;
  element: React.ReactElement;
  parentRoute: ConsoleLayout;
}

/** The route maker of one feature: `route(CLUSTER_LAYOUT, '/projects/:namespace', Page)`. */
export function featureRoutes(feature: string) {
  return (layout: ConsoleLayout, path: string, page: React.ComponentType): ExtensionRoute => ({
    path: `${layout}/${feature}${path}`,
    element: React.createElement(page),
    parentRoute: layout,
  });
}

/** A menu entry as the console registers it (kubesphere-extensions.md §4.1). */
export interface ExtensionMenu {
  parent: 'cluster' | 'workspace';
  /** The console links the entry to `<layout>/<name>`. */
  name: string;
  /** A locale key. */
  title: string;
  icon: string;
  order: number;
  authKey?: string;
  authAction?: string;
  skipAuth?: boolean;
}

/**
 * A feature's own entry in the cluster or workspace navigation, leading to its landing page and titled
 * `<feature>.menu`. Shown only when the user's RoleTemplates in that scope grant module `<feature>` the action
 * "view" (annotation iam.kubesphere.io/role-template-rules = {"<feature>": "view"}); with `everyMember`, shown to
 * every member of the scope instead (`skipAuth`), for a feature whose users hold no RoleTemplate of it there and
 * whose backend authorizes each call (ml-apps, docs/adr/0020).
 */
export function featureMenu(
  feature: string,
  parent: ExtensionMenu['parent'],
  look: Pick<ExtensionMenu, 'icon' | 'order'> & { everyMember?: boolean },
): ExtensionMenu {
  const shown = look.everyMember ? { skipAuth: true } : { authKey: feature, authAction: 'view' };
  return { parent, name: feature, title: `${feature}.menu`, icon: look.icon, order: look.order, ...shown };
}
