// NetBox's REST API (reference §4.2): GET under /api/, `Authorization: Token <t>` (v1) or `Bearer nbt_<key>.<token>`
// (v2); limit/offset pagination (default 50, at most MAX_PAGE_SIZE 1,000) answering {count, next, previous,
// results}; custom fields under custom_fields and filterable as ?cf_<name>=; tenants (a business system per tenant,
// custom fields importance and k8s_namespaces), contacts (custom field wecom_userid) and contact assignments with
// role and priority (primary / secondary / tertiary). Errors as DRF answers them: {"detail": "..."}.
import type { Answer } from './bkcmdb.js';
import type { EstateContact, EstateSystem } from './estate.js';
import type { CmdbState } from './state.js';

type Json = Record<string, unknown>;
const MAX_PAGE_SIZE = 1_000;

export function netboxAuthError(state: CmdbState, header: string | undefined): Answer | undefined {
  if (!header) return { status: 403, body: { detail: 'Authentication credentials were not provided.' } };
  const [scheme, token] = header.split(' ', 2);
  const valid =
    (scheme === 'Token' && token === state.credentials.netboxToken) ||
    (scheme === 'Bearer' && token === state.credentials.netboxV2);
  return valid ? undefined : { status: 403, body: { detail: 'Invalid token' } };
}

function paginate(base: string, url: URL, rows: Json[]): Answer {
  const limit = Math.min(Number(url.searchParams.get('limit') ?? 50) || 50, MAX_PAGE_SIZE);
  const offset = Number(url.searchParams.get('offset') ?? 0) || 0;
  const link = (o: number) => {
    const u = new URL(url.toString());
    u.searchParams.set('limit', String(limit));
    u.searchParams.set('offset', String(o));
    return `${base}${u.pathname}${u.search}`;
  };
  return {
    status: 200,
    body: {
      count: rows.length,
      next: offset + limit < rows.length ? link(offset + limit) : null,
      previous: offset > 0 ? link(Math.max(0, offset - limit)) : null,
      results: rows.slice(offset, offset + limit),
    },
  };
}

const tenant = (base: string, s: EstateSystem): Json => ({
  id: s.id,
  url: `${base}/api/tenancy/tenants/${s.id}/`,
  display: s.name,
  name: s.name,
  slug: s.name,
  group: null,
  description: '',
  custom_fields: { importance: s.importance, k8s_namespaces: s.namespaces },
});

const contact = (base: string, c: EstateContact): Json => ({
  id: c.id,
  url: `${base}/api/tenancy/contacts/${c.id}/`,
  display: c.name,
  name: c.name,
  title: '',
  phone: c.mobile,
  email: c.email,
  address: '',
  link: '',
  description: '',
  custom_fields: { wecom_userid: c.wecomUserId },
});

const ROLE_IDS = { owner: 1, ops: 2, dev: 3 } as const;

export function netbox(state: CmdbState, base: string, url: URL): Answer {
  const { systems } = state.estate;
  const q = url.searchParams;
  if (url.pathname === '/api/tenancy/tenants/') {
    const rows = systems.filter((s) => {
      for (const [key, value] of q) {
        if (key === 'name' && s.name !== value) return false;
        if (key === 'id' && String(s.id) !== value) return false;
        if (key === 'cf_importance' && s.importance !== value) return false;
        if (key === 'cf_k8s_namespaces' && !s.namespaces.includes(value)) return false;
      }
      return true;
    });
    return paginate(
      base,
      url,
      rows.map((s) => tenant(base, s)),
    );
  }
  if (url.pathname === '/api/tenancy/contacts/') {
    const ids = new Set(q.getAll('id').map(Number));
    const all = systems.flatMap((s) => s.contacts).filter((c) => ids.size === 0 || ids.has(c.id));
    return paginate(
      base,
      url,
      all.map((c) => contact(base, c)),
    );
  }
  if (url.pathname === '/api/tenancy/contact-assignments/') {
    const objectType = q.get('object_type');
    const objectId = q.get('object_id');
    const rows = systems
      .filter(() => !objectType || objectType === 'tenancy.tenant')
      .filter((s) => !objectId || String(s.id) === objectId)
      .flatMap((s) =>
        s.contacts.map((c) => ({
          id: c.id,
          url: `${base}/api/tenancy/contact-assignments/${c.id}/`,
          display: `${c.name} (${c.role})`,
          object_type: 'tenancy.tenant',
          object_id: s.id,
          contact: {
            id: c.id,
            url: `${base}/api/tenancy/contacts/${c.id}/`,
            display: c.name,
            name: c.name,
            description: '',
          },
          role: {
            id: ROLE_IDS[c.role],
            url: `${base}/api/tenancy/contact-roles/${ROLE_IDS[c.role]}/`,
            display: c.role,
            name: c.role,
            slug: c.role,
          },
          priority: { value: c.priority, label: c.priority[0]!.toUpperCase() + c.priority.slice(1) },
        })),
      );
    return paginate(base, url, rows);
  }
  return { status: 404, body: { detail: 'Not found.' } };
}
