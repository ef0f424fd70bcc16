// "May I?" before offering: the console asks the self access review (createSelfAccessReview, cluster-scoped so
// any signed-in user may ask it) whether the caller may call a route in a workspace or project, and offers the link
// or button only on yes (docs/adr/0020). The question goes to the group of the extension that serves the route, so
// a package installed alone answers its own pages (docs/adr/0026). One cached answer per question and page session.
import { useQuery } from 'react-query';
import { platformRoutesOfGroup, type RouteSpec, type SelfAccessReviewRequest } from '@ks-gpu-ml/contracts';
import { sendRoute } from './api-client.js';
import type { Crumb } from './components/PageHeader.js';

/** A workspace or a project (of a member cluster when `cluster` is set). */
export interface AccessScope {
  scope: 'workspace' | 'namespace';
  scopeName: string;
  cluster?: string | undefined;
}

/** The review that asks whether the caller may call `route` in `where`. */
export function reviewFor(route: RouteSpec, where: AccessScope): SelfAccessReviewRequest {
  return {
    scope: where.scope,
    scopeName: where.scopeName,
    verb: route.verb,
    group: route.group,
    resource: route.resource,
    ...(route.subresource ? { subresource: route.subresource } : {}),
  };
}

/**
 * Whether the caller may call `route` in `where`: undefined while asking (offer nothing yet), false when refused or
 * when the question could not be answered (a button that might fail is not offered), true when allowed. `where`
 * null asks nothing (e.g. a cluster page, whose menu already follows the cluster RoleTemplates).
 */
export function useCallerMay(route: RouteSpec, where: AccessScope | null): boolean | undefined {
  const review = where && reviewFor(route, where);
  const answer = useQuery(
    ['selfaccessreview', where?.cluster ?? '', review],
    async () =>
      (
        await sendRoute(platformRoutesOfGroup(route.group).createSelfAccessReview, {
          params: {},
          body: review!,
          cluster: where?.cluster,
        })
      ).allowed,
    { enabled: review !== null, retry: false, refetchOnWindowFocus: false, staleTime: 60_000 },
  );
  if (review === null) return undefined;
  if (answer.isError) return false;
  return answer.data;
}

/** A breadcrumb that links only where the caller may go (`may` from useCallerMay); otherwise plain text. */
export const offeredCrumb = (crumb: Crumb, may: boolean | undefined): Crumb =>
  may ? crumb : { label: crumb.label };
