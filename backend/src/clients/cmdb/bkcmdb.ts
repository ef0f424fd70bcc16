import {
  CmdbFailure,
  isRecord,
  malformed,
  refused,
  type CmdbAdapter,
  type CmdbContact,
  type CmdbRecord,
} from './adapter.js';
import { cmdbRequest, type AnswerHook } from './http.js';

/**
 * BlueKing CMDB through its API gateway (reference §4.1): POST, credentials only in the `X-Bkapi-Authorization`
 * header (bk_app_code, bk_app_secret, bk_username), answers in {result, code, message, data: {count, info}}.
 * A business by name: search_business. A namespace's business: BK-CMDB's container model gives every kube
 * namespace its bk_biz_id, but list_kube_namespace needs the bk_biz_id to ask — so the adapter reads each
 * business's namespaces once into an index (businesses ≤ 200 a page, namespaces ≤ 500) and keeps it for
 * `indexTtlMs`. Importance is a user-defined attribute (`biz_level` by default: BK-CMDB has none built in);
 * owners are operator (owner), bk_biz_maintainer (ops) and bk_biz_developer (dev), by BK username, taken as the
 * WeCom user id (BlueKing's login synchronised from WeCom); mobile and email live in BK's user service, not here.
 */
export interface BkCmdbSettings {
  /** The gateway's stage URL, e.g. https://bkapi.example.com/api/bk-cmdb/prod */
  baseUrl: string;
  appCode: string;
  appSecret: () => string | undefined;
  username: string;
  supplierAccount?: string;
  importanceField?: string;
  /** Only namespaces of this cluster (BK's cluster_uid) count; all clusters when unset. */
  clusterUid?: string;
  indexTtlMs?: number;
  /** The deadline of one index load (every business's namespaces), apart from a lookup's own. */
  indexDeadlineMs?: number;
  /** Sees each answer (test connection only). */
  onAnswer?: AnswerHook;
}

const MAX_BUSINESSES = 5_000;
const MAX_NAMESPACES = 50_000;
const BIZ_FIELDS = ['bk_biz_id', 'bk_biz_name', 'operator', 'bk_biz_maintainer', 'bk_biz_developer'];

interface Page {
  count: number;
  info: Record<string, unknown>[];
}

function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new CmdbFailure('CMDB_UNREACHABLE', 'timed out'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () =>
      reject(new CmdbFailure('CMDB_UNREACHABLE', 'timed out waiting for the namespace index'));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

export function createBkCmdbAdapter(settings: BkCmdbSettings): CmdbAdapter {
  const base = settings.baseUrl.replace(/\/+$/, '');
  const supplier = settings.supplierAccount ?? '0';
  const importanceField = settings.importanceField ?? 'biz_level';
  const indexTtlMs = settings.indexTtlMs ?? 5 * 60_000;
  const indexDeadlineMs = settings.indexDeadlineMs ?? 30_000;
  let index: { at: number; load: Promise<Map<string, Record<string, unknown>>> } | undefined;

  async function call(path: string, body: Record<string, unknown>, signal: AbortSignal): Promise<Page> {
    const auth = JSON.stringify({
      bk_app_code: settings.appCode,
      bk_app_secret: settings.appSecret() ?? '',
      bk_username: settings.username,
    });
    const answer = await cmdbRequest(
      `${base}${path}`,
      { method: 'POST', headers: { 'x-bkapi-authorization': auth }, body, onAnswer: settings.onAnswer },
      signal,
    );
    const b = answer.body;
    if (!isRecord(b)) throw malformed(`BK-CMDB ${path}: not an object`);
    // The gateway's own errors: {code_name, code: 16xxxxx, result: false} with a 4xx.
    if (typeof b.code_name === 'string' && answer.status >= 400) {
      throw new CmdbFailure('CMDB_UNAUTHORIZED', `gateway ${b.code_name} (HTTP ${answer.status})`);
    }
    if (b.result !== true || b.code !== 0) {
      if (typeof b.code === 'number' && b.result === false) {
        throw refused(b.code);
      }
      throw malformed(`BK-CMDB ${path}: no result/code envelope`);
    }
    const data = b.data;
    if (
      !isRecord(data) ||
      typeof data.count !== 'number' ||
      !Array.isArray(data.info) ||
      !data.info.every(isRecord)
    ) {
      throw malformed(`BK-CMDB ${path}: data is not {count, info}`);
    }
    return { count: data.count, info: data.info };
  }

  async function pages(
    path: string,
    body: Record<string, unknown>,
    limit: number,
    max: number,
    signal: AbortSignal,
  ) {
    const all: Record<string, unknown>[] = [];
    for (let start = 0; start < max; start += limit) {
      const page = await call(path, { ...body, page: { start, limit } }, signal);
      all.push(...page.info);
      if (page.info.length < limit || all.length >= page.count) break;
    }
    return all;
  }

  const users = (v: unknown): string[] =>
    typeof v === 'string'
      ? v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : [];

  function toRecord(biz: Record<string, unknown>, rule: string): CmdbRecord {
    if (typeof biz.bk_biz_id !== 'number' || typeof biz.bk_biz_name !== 'string') {
      throw malformed('BK-CMDB business without bk_biz_id or bk_biz_name');
    }
    const owners: CmdbContact[] = [];
    const seen = new Set<string>();
    for (const [field, role, priority] of [
      ['operator', 'owner', 1],
      ['bk_biz_maintainer', 'ops', 2],
      ['bk_biz_developer', 'dev', 3],
    ] as const) {
      for (const user of users(biz[field])) {
        if (seen.has(user)) continue;
        seen.add(user);
        owners.push({ name: user, role, priority, wecomUserId: user });
      }
    }
    const importance = biz[importanceField];
    return {
      id: String(biz.bk_biz_id),
      name: biz.bk_biz_name,
      ...(typeof importance === 'string' || typeof importance === 'number'
        ? { importance: String(importance) }
        : {}),
      owners,
      rule: `BK-CMDB business ${biz.bk_biz_id} (${rule})`,
    };
  }

  async function loadIndex(signal: AbortSignal): Promise<Map<string, Record<string, unknown>>> {
    const businesses = await pages(
      `/api/v3/biz/search/${supplier}`,
      { fields: [...BIZ_FIELDS, importanceField] },
      200,
      MAX_BUSINESSES,
      signal,
    );
    const byNamespace = new Map<string, Record<string, unknown>>();
    for (const biz of businesses) {
      if (typeof biz.bk_biz_id !== 'number') throw malformed('BK-CMDB business without bk_biz_id');
      const filter = settings.clusterUid
        ? {
            condition: 'AND',
            rules: [{ field: 'cluster_uid', operator: 'equal', value: settings.clusterUid }],
          }
        : undefined;
      const namespaces = await pages(
        '/api/v3/findmany/kube/namespace',
        {
          bk_biz_id: biz.bk_biz_id,
          fields: ['name', 'cluster_uid', 'bk_biz_id'],
          ...(filter ? { filter } : {}),
        },
        500,
        MAX_NAMESPACES,
        signal,
      );
      for (const ns of namespaces) {
        if (typeof ns.name !== 'string') throw malformed('BK-CMDB namespace without name');
        if (byNamespace.size < MAX_NAMESPACES && !byNamespace.has(ns.name)) byNamespace.set(ns.name, biz);
      }
    }
    return byNamespace;
  }

  /**
   * The index, loading it when missing or old. The load has its own deadline and outlives a lookup that gives up
   * (the lookup's deadline is short), so a cold index still gets built and the next lookup finds it.
   */
  async function namespaceIndex(signal: AbortSignal) {
    const now = Date.now();
    if (!index || now - index.at > indexTtlMs) {
      const load = loadIndex(AbortSignal.timeout(indexDeadlineMs));
      index = { at: now, load };
      // A failed load is not kept: the next lookup asks again.
      load.catch(() => {
        if (index?.load === load) index = undefined;
      });
    }
    return untilAborted(index.load, signal);
  }

  return {
    kind: 'bk-cmdb',
    async forNamespace({ namespace }, signal) {
      const biz = (await namespaceIndex(signal)).get(namespace);
      return biz && toRecord(biz, `kube namespace ${namespace}`);
    },
    async business(name, signal) {
      const page = await call(
        `/api/v3/biz/search/${supplier}`,
        {
          fields: [...BIZ_FIELDS, importanceField],
          biz_property_filter: {
            condition: 'AND',
            rules: [{ field: 'bk_biz_name', operator: 'equal', value: name }],
          },
          page: { start: 0, limit: 2 },
        },
        signal,
      );
      return page.info[0] && toRecord(page.info[0], `name ${name}`);
    },
  };
}
