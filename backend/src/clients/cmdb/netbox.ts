import { isRecord, malformed, type CmdbAdapter, type CmdbContact, type CmdbRecord } from './adapter.js';
import { cmdbRequest, type AnswerHook } from './http.js';

/**
 * NetBox as the CMDB (reference §4.2): a tenant is a business system; its custom fields give the namespaces it
 * owns and its importance; its contact assignments give the people, with role and priority (primary first), and
 * each contact's phone, email and a WeCom user id custom field. REST with `Authorization: Token <t>` (v1) or
 * `Bearer nbt_<key>.<token>` (v2, recognised by its prefix).
 */
export interface NetboxSettings {
  /** e.g. https://netbox.example.com (the API is under /api/). */
  baseUrl: string;
  /** Read when a request is made, so a rotated Secret is picked up. */
  token: () => string | undefined;
  namespaceField?: string;
  importanceField?: string;
  wecomField?: string;
  /** Sees each answer (test connection only). */
  onAnswer?: AnswerHook;
}

const PRIORITY: Record<string, number> = { primary: 1, secondary: 2, tertiary: 3 };
const MAX_CONTACTS = 200;

function results(body: unknown, what: string): Record<string, unknown>[] {
  if (!isRecord(body) || !Array.isArray(body.results) || !body.results.every(isRecord)) {
    throw malformed(`NetBox ${what}: no results list`);
  }
  return body.results;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

export function createNetboxAdapter(settings: NetboxSettings): CmdbAdapter {
  const base = settings.baseUrl.replace(/\/+$/, '');
  const nsField = settings.namespaceField ?? 'k8s_namespaces';
  const importanceField = settings.importanceField ?? 'importance';
  const wecomField = settings.wecomField ?? 'wecom_userid';

  async function get(
    path: string,
    query: [string, string][],
    signal: AbortSignal,
  ): Promise<Record<string, unknown>[]> {
    const token = settings.token() ?? '';
    const auth = token.startsWith('nbt_') ? `Bearer ${token}` : `Token ${token}`;
    const qs = new URLSearchParams(query).toString();
    const answer = await cmdbRequest(
      `${base}${path}?${qs}`,
      { method: 'GET', headers: { authorization: auth }, onAnswer: settings.onAnswer },
      signal,
    );
    if (answer.status !== 200) throw malformed(`NetBox ${path}: HTTP ${answer.status}`);
    return results(answer.body, path);
  }

  async function contactsOf(tenantId: number, signal: AbortSignal): Promise<CmdbContact[]> {
    const assignments = await get(
      '/api/tenancy/contact-assignments/',
      [
        ['object_type', 'tenancy.tenant'],
        ['object_id', String(tenantId)],
        ['limit', String(MAX_CONTACTS)],
      ],
      signal,
    );
    const byId = new Map<number, { role?: string; priority?: number }>();
    for (const a of assignments) {
      const contact = a.contact;
      if (!isRecord(contact) || typeof contact.id !== 'number')
        throw malformed('NetBox contact assignment without contact');
      const priority = isRecord(a.priority) ? str(a.priority.value) : str(a.priority);
      if (priority === 'inactive') continue;
      const role = isRecord(a.role) ? (str(a.role.slug) ?? str(a.role.name)) : undefined;
      byId.set(contact.id, {
        ...(role ? { role } : {}),
        ...(priority && PRIORITY[priority] ? { priority: PRIORITY[priority] } : {}),
      });
    }
    if (byId.size === 0) return [];
    const contacts = await get(
      '/api/tenancy/contacts/',
      [
        ...[...byId.keys()].map((id): [string, string] => ['id', String(id)]),
        ['limit', String(MAX_CONTACTS)],
      ],
      signal,
    );
    return contacts
      .filter((c) => typeof c.id === 'number' && byId.has(c.id))
      .map((c) => {
        const cf = isRecord(c.custom_fields) ? c.custom_fields : {};
        const wecom = str(cf[wecomField]);
        const mobile = str(c.phone);
        const email = str(c.email);
        return {
          name: str(c.name) ?? String(c.id),
          ...byId.get(c.id as number),
          ...(wecom ? { wecomUserId: wecom } : {}),
          ...(mobile ? { mobile } : {}),
          ...(email ? { email } : {}),
        };
      })
      .sort((a, b) => (a.priority ?? 99) - (b.priority ?? 99));
  }

  async function recordOf(
    tenants: Record<string, unknown>[],
    rule: string,
    signal: AbortSignal,
  ): Promise<CmdbRecord | undefined> {
    const tenant = tenants[0];
    if (!tenant) return undefined;
    if (typeof tenant.id !== 'number' || !str(tenant.name))
      throw malformed('NetBox tenant without id or name');
    const cf = isRecord(tenant.custom_fields) ? tenant.custom_fields : {};
    const importance = cf[importanceField];
    return {
      id: String(tenant.id),
      name: tenant.name as string,
      ...(typeof importance === 'string' || typeof importance === 'number'
        ? { importance: String(importance) }
        : {}),
      owners: await contactsOf(tenant.id, signal),
      rule: `NetBox tenant ${tenant.id} (${rule})`,
    };
  }

  return {
    kind: 'netbox',
    async forNamespace({ namespace }, signal) {
      const tenants = await get(
        '/api/tenancy/tenants/',
        [
          [`cf_${nsField}`, namespace],
          ['limit', '2'],
        ],
        signal,
      );
      return recordOf(tenants, `custom field ${nsField} holds ${namespace}`, signal);
    },
    async business(name, signal) {
      const tenants = await get(
        '/api/tenancy/tenants/',
        [
          ['name', name],
          ['limit', '2'],
        ],
        signal,
      );
      return recordOf(tenants, `name ${name}`, signal);
    },
  };
}
