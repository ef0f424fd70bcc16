// The self access review the ML pages ask before they offer a button (docs/adr/0020), as their tests answer it:
// every review allowed (a project member who may edit) or none (a viewer). Beside pages.tsx so that a test with a
// server of its own (the models page) answers it the same way. Under testing/: no bundle holds it.
import { mlAppsRoutes, platformRoutesOfGroup, type PlatformRouteSet } from '@ks-gpu-ml/contracts';
import { ok, type ContractServer } from '@ks-gpu-ml/ui/testing/contract-server';

/** The route of ml-apps' self access review, for a test that reads what the page asked. */
export const review: PlatformRouteSet['createSelfAccessReview'] = platformRoutesOfGroup(
  mlAppsRoutes.listOperators.group,
).createSelfAccessReview;

/** Answers every self access review of the ML pages with `allowed`. */
export const answerReview = (server: ContractServer, allowed: boolean): ContractServer =>
  server.on(review, () => ok({ allowed }));
