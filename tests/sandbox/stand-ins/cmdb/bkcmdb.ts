// BlueKing CMDB through its API gateway (reference §4.1): POST only, credentials only in the X-Bkapi-Authorization
// header (a JSON object: bk_app_code, bk_app_secret, bk_username or bk_token); answers in the envelope
// {result, code, message, permission, data: {count, info}}; gateway errors as {code_name, data, code 16xxxxx,
// message, result: false}. search_business (page.limit ≤ 200), search_set, list_biz_hosts and list_kube_namespace /
// list_kube_workload (bk_biz_id required, page.limit ≤ 500; enable_count answers the count only).
import type { EstateSystem } from './estate.js';
import type { CmdbState } from './state.js';

type Json = Record<string, unknown>;
export interface Answer {
  status: number;
  body: unknown;
}

const ok = (data: unknown): Answer => ({
  status: 200,
  body: { result: true, code: 0, message: 'success', permission: null, request_id: 'stand-in', data },
});
const cmdbError = (code: number, message: string): Answer => ({
  status: 200,
  body: { result: false, code, message, permission: null, request_id: 'stand-in', data: null },
});
const gatewayError = (status: number, code: number, codeName: string, message: string): Answer => ({
  status,
  body: { code_name: codeName, data: null, code, message, result: false },
});

/** The gateway's check of X-Bkapi-Authorization; undefined when the caller may pass. */
export function bkAuthError(state: CmdbState, header: string | undefined): Answer | undefined {
  let auth: Json;
  try {
    auth = JSON.parse(header ?? '{}') as Json;
  } catch {
    return gatewayError(400, 1640001, 'INVALID_ARGS', 'X-Bkapi-Authorization is not a valid JSON object');
  }
  if (!auth.bk_app_code) return gatewayError(400, 1640001, 'INVALID_ARGS', 'app code cannot be empty');
  if (
    auth.bk_app_code !== state.credentials.bk.appCode ||
    auth.bk_app_secret !== state.credentials.bk.appSecret
  ) {
    return gatewayError(400, 1640001, 'INVALID_ARGS', 'bk_app_code or bk_app_secret is incorrect');
  }
  if (!auth.bk_username && !auth.bk_token) {
    return gatewayError(
      400,
      1640001,
      'INVALID_ARGS',
      'user authentication failed, please provide a valid user identity',
    );
  }
  return undefined;
}

interface Rule {
  field?: string;
  operator?: string;
  value?: unknown;
  condition?: string;
  rules?: Rule[];
}

/** The query builder's rules (AND/OR, nested): equal, not_equal, in, not_in. */
function matches(item: Json, rule: Rule | undefined): boolean {
  if (!rule) return true;
  if (rule.condition) {
    const parts = (rule.rules ?? []).map((r) => matches(item, r));
    return rule.condition === 'OR' ? parts.some(Boolean) : parts.every(Boolean);
  }
  const value = item[rule.field ?? ''];
  switch (rule.operator) {
    case 'equal':
      return value === rule.value;
    case 'not_equal':
      return value !== rule.value;
    case 'in':
      return Array.isArray(rule.value) && rule.value.includes(value);
    case 'not_in':
      return Array.isArray(rule.value) && !rule.value.includes(value);
    default:
      return false;
  }
}

function ruleCount(rule: Rule | undefined): number {
  if (!rule) return 0;
  return rule.condition ? (rule.rules ?? []).reduce((n, r) => n + ruleCount(r), 0) : 1;
}

function page(body: Json, max: number): { start: number; limit: number; count: boolean } | Answer {
  const p = (body.page ?? {}) as Json;
  const limit = Number(p.limit ?? 0);
  if (!Number.isInteger(limit) || limit <= 0 || limit > max) {
    return cmdbError(1199006, `page.limit must be between 1 and ${max}`);
  }
  return { start: Number(p.start ?? 0), limit, count: p.enable_count === true };
}

function select(items: Json[], body: Json, filterKey: string, max: number): Answer {
  const filter = body[filterKey] as Rule | undefined;
  if (ruleCount(filter) > 20) return cmdbError(1199006, 'at most 20 filter rules');
  const p = page(body, max);
  if ('status' in p) return p;
  const found = items.filter((i) => matches(i, filter));
  if (p.count) return ok({ count: found.length, info: [] });
  const fields = Array.isArray(body.fields) && body.fields.length > 0 ? (body.fields as string[]) : undefined;
  const info = found
    .slice(p.start, p.start + p.limit)
    .map((i) => (fields ? Object.fromEntries(fields.filter((f) => f in i).map((f) => [f, i[f]])) : i));
  return ok({ count: found.length, info });
}

const businessRow = (s: EstateSystem): Json => ({
  bk_biz_id: s.id,
  bk_biz_name: s.name,
  bk_biz_maintainer: s.contacts
    .filter((c) => c.role === 'ops')
    .map((c) => c.wecomUserId)
    .join(','),
  bk_biz_developer: s.contacts
    .filter((c) => c.role === 'dev')
    .map((c) => c.wecomUserId)
    .join(','),
  bk_biz_productor: '',
  bk_biz_tester: '',
  operator: s.contacts.find((c) => c.role === 'owner')?.wecomUserId ?? '',
  life_cycle: '2',
  time_zone: 'Asia/Shanghai',
  language: '1',
  default: 0,
  // No built-in importance field in BK-CMDB: a user-defined attribute (reference §4.1).
  biz_level: s.importance,
});

export function bkCmdb(state: CmdbState, path: string, body: Json): Answer {
  const { estate } = state;
  let m: RegExpExecArray | null;
  if (/^\/api\/v3\/biz\/search\/[^/]+$/.test(path)) {
    return select(estate.systems.map(businessRow), body, 'biz_property_filter', 200);
  }
  if ((m = /^\/api\/v3\/set\/search\/[^/]+\/(\d+)$/.exec(path))) {
    const biz = Number(m[1]);
    const sets = estate.systems
      .filter((s) => s.id === biz)
      .map((s) => ({
        bk_set_id: s.id * 10,
        bk_set_name: `${s.name}-prod`,
        bk_biz_id: s.id,
        bk_set_env: '3',
        bk_service_status: '1',
      }));
    return ok({ count: sets.length, info: sets });
  }
  if ((m = /^\/api\/v3\/hosts\/app\/(\d+)\/list_hosts$/.exec(path))) {
    const biz = Number(m[1]);
    const hosts = estate.hosts
      .filter((h) => h.bizId === biz)
      .map((h) => ({ bk_host_id: h.id, bk_host_innerip: h.innerIp, bk_host_name: h.hostname }));
    return select(hosts, body, 'host_property_filter', 500);
  }
  if (
    path === '/api/v3/findmany/kube/namespace' ||
    (m = /^\/api\/v3\/findmany\/kube\/workload\/(\w+)$/.exec(path))
  ) {
    if (typeof body.bk_biz_id !== 'number')
      return cmdbError(1199006, 'bk_biz_id is required and must be a number');
    const biz = body.bk_biz_id;
    if (path.endsWith('/namespace')) {
      const rows = estate.systems
        .filter((s) => s.id === biz)
        .flatMap((s) =>
          s.namespaces.map((name, i) => ({
            id: s.id * 1000 + i,
            bk_biz_id: s.id,
            cluster_uid: estate.clusterUid,
            name,
            labels: {},
          })),
        );
      return select(rows, body, 'filter', 500);
    }
    const kind = m![1];
    const rows = estate.workloads
      .filter((w) => w.bizId === biz && w.kind === kind)
      .map((w) => ({
        id: w.id,
        bk_biz_id: w.bizId,
        cluster_uid: w.clusterUid,
        namespace: w.namespace,
        name: w.name,
        labels: {},
      }));
    return select(rows, body, 'filter', 500);
  }
  return gatewayError(404, 1640401, 'API_NOT_FOUND', `API not found: POST ${path}`);
}
