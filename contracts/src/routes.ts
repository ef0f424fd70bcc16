import { Type, type Static, type TObject, type TSchema } from '@sinclair/typebox';
import { kapisPath, type Scope } from './api-groups.js';

/**
 * A route is data first: method, path shape, the permission it needs and its schemas. The backend mounts it, the
 * OpenAPI documents are generated from it, the charts' RoleTemplates and the sandbox RBAC are derived from it, and
 * the 403 matrix test iterates over it. See docs/adr/0003.
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Kubernetes-style verbs, as KubeSphere's RequestInfo derives them from the method (watch is not used). */
export const VERBS = ['get', 'list', 'create', 'update', 'patch', 'delete', 'deletecollection'] as const;
export type Verb = (typeof VERBS)[number];

/**
 * Which of the shipped roles grants a route: `authenticated` = every signed-in user; `view` / `edit` / `admin` =
 * the project (namespace) or workspace roles of those names. Only metadata for RoleTemplates and sandbox RBAC: the
 * backend itself always asks the Authorizer.
 */
export type Grant = 'authenticated' | 'view' | 'edit' | 'admin';

export interface RouteSchemas {
  querystring?: TObject;
  body?: TSchema;
  /** Success responses by status code. Every route also answers `default` with an ErrorBody. */
  response: Record<number, TSchema>;
  /**
   * Other media types the 200 answer may come in when the query asks for them (e.g. `text/csv` for
   * `format=csv`), documented in OpenAPI beside `application/json`; the backend sends them as raw bodies.
   */
  alternateContent?: Record<string, TSchema>;
}

export interface RouteSpec<S extends RouteSchemas = RouteSchemas> {
  /** Unique, also the OpenAPI operationId: `<feature>.<camelCaseAction>`. */
  id: string;
  group: string;
  method: HttpMethod;
  scope: Scope;
  resource: string;
  /** The path has a `{name}` segment after the resource. */
  named: boolean;
  subresource?: string;
  /** Derived by `defineRoute` from method and `named`, never written by hand: it is what ks-apiserver checks. */
  verb: Verb;
  grant: Grant;
  summary: string;
  schemas: S;
}

/** RFC 1123 label: what Kubernetes accepts as a namespace name (and KubeSphere as a workspace name). */
export const DnsLabel = Type.String({
  pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
  minLength: 1,
  maxLength: 63,
});
/** RFC 1123 subdomain: what Kubernetes accepts as an object name. */
export const DnsSubdomain = Type.String({
  pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$',
  minLength: 1,
  maxLength: 253,
});
/** A property an object may leave out: `Type.Optional`, short for the contracts' many optional fields. */
export const Opt = <T extends TSchema>(schema: T) => Type.Optional(schema);

/** What a feature writes: everything but the verb, which follows from method and `named`. */
export type RouteDefinition<S extends RouteSchemas = RouteSchemas> = Omit<RouteSpec<S>, 'verb'> & {
  verb?: never;
};

/** The verb ks-apiserver's RequestInfo assigns to a method on a named or unnamed path (docs/adr/0003, 0018). */
export type VerbOf<M extends HttpMethod, N extends boolean> = M extends 'GET'
  ? N extends true
    ? 'get'
    : 'list'
  : M extends 'POST'
    ? 'create'
    : M extends 'PUT'
      ? 'update'
      : M extends 'PATCH'
        ? 'patch'
        : N extends true
          ? 'delete'
          : 'deletecollection';

export function requestInfoVerb<M extends HttpMethod, N extends boolean>(method: M, named: N): VerbOf<M, N> {
  const verbs: Record<HttpMethod, Verb> = {
    GET: named ? 'get' : 'list',
    POST: 'create',
    PUT: 'update',
    PATCH: 'patch',
    DELETE: named ? 'delete' : 'deletecollection',
  };
  return verbs[method] as VerbOf<M, N>;
}

/**
 * A route as data, with its verb derived so that the RoleTemplates, the sandbox RBAC and OpenAPI grant and document
 * exactly what ks-apiserver will ask for.
 */
export function defineRoute<const R extends RouteDefinition>(
  spec: R,
): R & { verb: VerbOf<R['method'], R['named']> } {
  if (spec.subresource && !spec.named) throw new Error(`route ${spec.id}: a subresource needs a named path`);
  return { ...spec, verb: requestInfoVerb(spec.method, spec.named) };
}

/** The path parameters a route's URL carries, in a shape fastify validates. */
export function paramsSchema(spec: RouteSpec): TObject | undefined {
  const props: Record<string, TSchema> = {};
  if (spec.scope === 'workspace') props.workspace = DnsLabel;
  if (spec.scope === 'namespace') props.namespace = DnsLabel;
  if (spec.named) props.name = DnsSubdomain;
  return Object.keys(props).length ? Type.Object(props) : undefined;
}

export type ParamsOf<S extends RouteSpec> = S['scope'] extends 'workspace'
  ? { workspace: string } & (S['named'] extends true ? { name: string } : unknown)
  : S['scope'] extends 'namespace'
    ? { namespace: string } & (S['named'] extends true ? { name: string } : unknown)
    : S['named'] extends true
      ? { name: string }
      : Record<string, never>;

export type BodyOf<S extends RouteSpec> = S['schemas']['body'] extends TSchema
  ? Static<S['schemas']['body']>
  : undefined;
export type QueryOf<S extends RouteSpec> = S['schemas']['querystring'] extends TObject
  ? Static<S['schemas']['querystring']>
  : Record<string, never>;
export type ReplyOf<S extends RouteSpec> = S['schemas']['response'] extends { 200: infer R extends TSchema }
  ? Static<R>
  : unknown;

/** A route's path with each parameter (`workspace`, `namespace`, `name`) written by `param`. */
function template(spec: RouteSpec, param: (name: string) => string): string {
  const resource = { group: spec.group, scope: spec.scope, resource: spec.resource };
  return kapisPath(
    {
      ...resource,
      ...(spec.scope !== 'cluster' ? { scopeName: spec.scope } : {}),
      ...(spec.named ? { name: 'name' } : {}),
      ...(spec.subresource ? { subresource: spec.subresource } : {}),
    },
    param,
  );
}

/** `/kapis/g/v1alpha1/namespaces/:namespace/x/:name`, the form fastify (find-my-way) routes on. */
export const routerPath = (spec: RouteSpec): string => template(spec, (p) => `:${p}`);

/** `/kapis/g/v1alpha1/namespaces/{namespace}/x/{name}`, the form OpenAPI uses. */
export const openApiPath = (spec: RouteSpec): string => template(spec, (p) => `{${p}}`);

/** A query parameter's value as a URL carries it; undefined and "" leave the parameter out. */
export type QueryValue = string | number | boolean | undefined;

/** `?a=1&b=x` of the defined parameters, in the order given; "" when there are none. */
export function queryString(query: Readonly<Record<string, QueryValue>>): string {
  const parts = Object.entries(query)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

/**
 * The URL of a route for its parameters (each escaped as one path segment) and query: the one URL builder of
 * the console's typed client, the sandbox's demo and the tests, so a route's path is written only in its spec.
 */
export function urlFor<S extends RouteSpec>(
  spec: S,
  params: ParamsOf<S>,
  query: Partial<QueryOf<S>> = {},
): string {
  const values = params as Readonly<Record<string, string | undefined>>;
  const path = template(spec, (name) => {
    const value = values[name];
    if (value === undefined || value === '')
      throw new Error(`urlFor ${spec.id}: parameter "${name}" is missing`);
    return encodeURIComponent(value);
  });
  return path + queryString(query as Readonly<Record<string, QueryValue>>);
}
