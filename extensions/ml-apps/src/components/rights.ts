// What the caller may do to one kind of ML app in a project, asked before any create, stop/start or delete button is
// offered (docs/adr/0020: no button for a request that would be refused). Each right is the self access review of
// the very route the button calls; useCallerMay caches one answer per question, so rows share their page's answers.
import { mlAppsServingRoutes, type RouteSpec } from '@ks-gpu-ml/contracts';
import { useCallerMay, type AccessScope } from '@ks-gpu-ml/ui';
import type { SectionScope } from './ProjectSection.js';

/** The routes a kind's buttons call (at least one); a kind without a route has no such button. */
export interface KindRoutes {
  create?: RouteSpec;
  update?: RouteSpec;
  delete?: RouteSpec;
}

/** For each route: undefined while asking (offer nothing yet), false when refused, true when allowed. */
export type Rights = Record<keyof KindRoutes, boolean | undefined>;

/** The project a page shows, as the self access review names it. */
export const projectScope = ({ namespace, cluster }: SectionScope): AccessScope => ({
  scope: 'namespace',
  scopeName: namespace,
  cluster,
});

/** Asks once per route whether the caller may call it in the page's project. */
export function useRights(scope: SectionScope, routes: KindRoutes): Rights {
  const where = projectScope(scope);
  // A kind without a route asks nothing (null scope) through a stand-in spec, so every render calls the same hooks.
  const any = (routes.create ?? routes.update ?? routes.delete)!;
  const create = useCallerMay(routes.create ?? any, routes.create ? where : null);
  const update = useCallerMay(routes.update ?? any, routes.update ? where : null);
  const remove = useCallerMay(routes.delete ?? any, routes.delete ? where : null);
  return { create, update, delete: remove };
}

/** What the caller may do on the serving page, one review per route its buttons call. */
export interface ServingRights {
  create: boolean | undefined;
  createLlm: boolean | undefined;
  update: boolean | undefined;
  delete: boolean | undefined;
  deleteLlm: boolean | undefined;
  predict: boolean | undefined;
}

export function useServingRights(scope: SectionScope): ServingRights {
  const where = projectScope(scope);
  const r = mlAppsServingRoutes;
  return {
    create: useCallerMay(r.createInferenceService, where),
    createLlm: useCallerMay(r.createLLMInferenceService, where),
    update: useCallerMay(r.updateInferenceService, where),
    delete: useCallerMay(r.deleteInferenceService, where),
    deleteLlm: useCallerMay(r.deleteLLMInferenceService, where),
    predict: useCallerMay(r.predict, where),
  };
}
