// How a feature's console extension hangs its pages off the console's layouts: every route under the cluster or
// the workspace layout (never 4.1's project layout, whose routes 4.2 changed), at `<layout>/<feature><path>`.
// One helper, so each extension's index lists its pages and nothing else.
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
