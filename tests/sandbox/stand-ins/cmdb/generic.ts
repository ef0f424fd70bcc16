// An in-house CMDB like the seed's, for the generic HTTP/JSON adapter: not a product, just a plausible house format
// (GET /generic/api/systems?namespace=… or ?name=…, `Authorization: Bearer <token>`, an envelope
// {code, message, data: {items: [{system_name, level, owners: [{name, wx, tel, mail, role, order}]}]}}), which the
// adapter reads through its configured field mapping only.
import type { Answer } from './bkcmdb.js';
import type { CmdbState } from './state.js';

/** The adapter's field mapping that reads this house format: what an operator would configure for it. */
export const GENERIC_MAPPING = {
  items: 'data.items',
  name: 'system_name',
  importance: 'level',
  owners: 'owners',
  owner: { name: 'name', wecomUserId: 'wx', mobile: 'tel', email: 'mail', role: 'role', priority: 'order' },
  code: { path: 'code', ok: 0 },
};

export function genericAuthError(state: CmdbState, header: string | undefined): Answer | undefined {
  return header === `Bearer ${state.credentials.genericToken}`
    ? undefined
    : { status: 401, body: { code: 401, message: 'unauthorized', data: null } };
}

export function generic(state: CmdbState, url: URL): Answer {
  if (url.pathname !== '/generic/api/systems')
    return { status: 404, body: { code: 404, message: 'not found', data: null } };
  const namespace = url.searchParams.get('namespace');
  const name = url.searchParams.get('name');
  const items = state.estate.systems
    .filter((s) => (!namespace || s.namespaces.includes(namespace)) && (!name || s.name === name))
    .map((s) => ({
      system_name: s.name,
      level: s.importance,
      owners: s.contacts.map((c, i) => ({
        name: c.name,
        wx: c.wecomUserId,
        tel: c.mobile,
        mail: c.email,
        role: c.role,
        order: i + 1,
      })),
    }));
  return { status: 200, body: { code: 0, message: 'ok', data: { items } } };
}
