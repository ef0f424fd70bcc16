// The console's client of our API, typed from the route specs in contracts: a page names a route and its
// parameters, never a path or a reply type. The URL comes from the spec (contracts' urlFor, the builder the sandbox
// and the tests use too), the reply's type from the spec's 200 schema, a refusal arrives as an ApiError (the
// contract's ErrorBody fields plus the status). Requests go through the console's own request client, quiet (no
// global error toast: pages show the server's message themselves).
import { useQuery, type UseQueryResult } from 'react-query';
import { request } from '@ks-console/shared';
import {
  urlFor,
  type BodyOf,
  type ParamsOf,
  type QueryOf,
  type ReplyOf,
  type RouteSpec,
  type Scope,
} from '@ks-gpu-ml/contracts';
import { toApiError, type ApiError } from './api-error.js';
import { getJson, QUIET_HEADERS, useApi, type ApiState } from './use-api.js';

/** Prefix for a member cluster's API ("" for the cluster the console runs in). */
export const clusterPrefix = (cluster?: string) =>
  cluster ? `/clusters/${encodeURIComponent(cluster)}` : '';

export interface RouteCall<S extends RouteSpec> {
  /** The path's parameters the spec's scope and `named` call for (workspace, namespace, name). */
  params: ParamsOf<S>;
  query?: Partial<QueryOf<S>>;
  /** A member cluster's API (`/clusters/<name>/…`); absent: the cluster the console runs in. */
  cluster?: string | undefined;
}

/** The URL the console's request client sends a route's call to. */
export const routeUrl = <S extends RouteSpec>(route: S, call: RouteCall<S>): string =>
  clusterPrefix(call.cluster) + urlFor(route, call.params, call.query);

/** Where a page reads from: the cluster, a workspace or a project (of a member cluster when `cluster` is set). */
export type Where =
  | { scope: 'cluster'; cluster?: string | undefined }
  | { scope: 'workspace'; workspace: string; cluster?: string | undefined }
  | { scope: 'namespace'; namespace: string; cluster?: string | undefined };

/** One route per scope that serves the same reply (e.g. a figure over time of the cluster, a workspace, a project). */
export type ScopedRoutes = Partial<Record<Scope, RouteSpec>>;
type AnyOf<R extends ScopedRoutes> = Extract<R[keyof R], RouteSpec>;

/** The URL of the route serving `where`'s scope; a scope the routes do not serve is a programming error. */
export function scopedUrl<R extends ScopedRoutes>(
  routes: R,
  where: Where & { scope: keyof R },
  query: Partial<QueryOf<AnyOf<R>>> = {},
): string {
  const at: Where = where;
  const route: RouteSpec | undefined = routes[at.scope];
  if (!route || route.scope !== at.scope) throw new Error(`no route for the ${at.scope} scope`);
  // The parameters the scope's route takes: its scope's name (scoped routes are unnamed lists).
  const params =
    at.scope === 'workspace'
      ? { workspace: at.workspace }
      : at.scope === 'namespace'
        ? { namespace: at.namespace }
        : {};
  return (
    clusterPrefix(at.cluster) + urlFor(route, params as ParamsOf<RouteSpec>, query as QueryOf<RouteSpec>)
  );
}

/** GETs a route; rejects with an ApiError. */
export const getRoute = <S extends RouteSpec>(route: S, call: RouteCall<S>, signal?: AbortSignal) =>
  getJson<ReplyOf<S>>(routeUrl(route, call), signal);

/** Sends a route's body with the route's method; rejects with an ApiError. */
export async function sendRoute<S extends RouteSpec>(
  route: S,
  call: RouteCall<S> & { body: BodyOf<S> },
): Promise<ReplyOf<S>> {
  const url = routeUrl(route, call);
  const config = { headers: QUIET_HEADERS };
  try {
    // The console's axios instance resolves with the response body (its response interceptor unwraps it).
    const reply =
      route.method === 'GET'
        ? await request.get(url, config)
        : route.method === 'DELETE'
          ? await request.delete(url, config)
          : await request[route.method === 'POST' ? 'post' : route.method === 'PUT' ? 'put' : 'patch'](
              url,
              call.body,
              config,
            );
    return reply as unknown as ReplyOf<S>;
  } catch (error) {
    throw toApiError(error);
  }
}

export interface RouteQueryOptions {
  /** More of the cache key, e.g. a page clock whose new value loads again. */
  key?: readonly unknown[];
  enabled?: boolean;
  refetchInterval?: number;
  staleTime?: number;
  /** Keeps the current answer on screen while the next one loads. */
  keepPreviousData?: boolean;
}

/** GETs `url`, a URL of `route` (nothing while it is null), through react-query; the reply typed by the route. */
export function useRouteUrl<S extends RouteSpec>(
  route: S,
  url: string | null,
  { key = [], enabled = true, ...options }: RouteQueryOptions = {},
): UseQueryResult<ReplyOf<S>, ApiError> {
  return useQuery<ReplyOf<S>, ApiError>(
    [route.id, url, ...key],
    ({ signal }) => getJson<ReplyOf<S>>(url!, signal),
    { retry: false, refetchOnWindowFocus: false, ...options, enabled: enabled && url !== null },
  );
}

/** GETs a route's call (nothing while it is null) through react-query; the reply typed by the route. */
export const useRoute = <S extends RouteSpec>(
  route: S,
  call: RouteCall<S> | null,
  options?: RouteQueryOptions,
): UseQueryResult<ReplyOf<S>, ApiError> => useRouteUrl(route, call && routeUrl(route, call), options);

/** A route's call for a part of the kit that loads without react-query (useApi); the reply typed by the route. */
export const useRouteApi = <S extends RouteSpec>(route: S, call: RouteCall<S> | null): ApiState<ReplyOf<S>> =>
  useApi<ReplyOf<S>>(call && routeUrl(route, call));
