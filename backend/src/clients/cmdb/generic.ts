import {
  isRecord,
  malformed,
  refused,
  type CmdbAdapter,
  type CmdbContact,
  type CmdbRecord,
} from './adapter.js';
import { cmdbRequest, type AnswerHook } from './http.js';

/**
 * An in-house CMDB over HTTP/JSON (like the seed's): two GET URLs with `{namespace}` / `{name}` placeholders and a
 * field mapping of dot paths into the answer. Only the mapped fields are read; anything that does not fit the
 * mapping is CMDB_MALFORMED.
 */
export interface GenericCmdbMapping {
  /** Path to the list of systems in the answer, e.g. `data.items`. */
  items: string;
  name: string;
  importance?: string;
  owners?: string;
  owner?: Partial<Record<keyof CmdbContact, string>>;
  /** Path to a success code and its success value (e.g. `code` = 0); anything else is CMDB_REFUSED. */
  code?: { path: string; ok: string | number };
}

export interface GenericCmdbSettings {
  /** e.g. https://cmdb.example.com/api/systems?namespace={namespace} */
  namespaceUrl: string;
  businessUrl: string;
  /** Request headers, read per request (a token from a Secret). */
  headers: () => Record<string, string>;
  mapping: GenericCmdbMapping;
  /** Sees each answer (test connection only). */
  onAnswer?: AnswerHook;
}

export const readPath = (value: unknown, path: string): unknown =>
  path
    .split('.')
    .reduce<unknown>(
      (v, key) => (isRecord(v) ? v[key] : Array.isArray(v) ? v[Number(key)] : undefined),
      value,
    );

const scalar = (v: unknown): string | undefined =>
  typeof v === 'string' && v ? v : typeof v === 'number' ? String(v) : undefined;

export function createGenericCmdbAdapter(settings: GenericCmdbSettings): CmdbAdapter {
  const m = settings.mapping;

  function toRecord(item: unknown, rule: string): CmdbRecord {
    const name = scalar(readPath(item, m.name));
    if (!name) throw malformed(`generic CMDB: item without ${m.name}`);
    const importance = m.importance ? scalar(readPath(item, m.importance)) : undefined;
    const rawOwners = m.owners ? readPath(item, m.owners) : [];
    if (rawOwners !== undefined && !Array.isArray(rawOwners))
      throw malformed(`generic CMDB: ${m.owners} is not a list`);
    const owners: CmdbContact[] = (rawOwners ?? []).map((o) => {
      const field = (k: keyof CmdbContact) => (m.owner?.[k] ? scalar(readPath(o, m.owner[k])) : undefined);
      const priority = field('priority');
      const contact: CmdbContact = { name: field('name') ?? field('wecomUserId') ?? '?' };
      for (const k of ['role', 'wecomUserId', 'mobile', 'email'] as const) {
        const v = field(k);
        if (v) contact[k] = v;
      }
      if (priority && Number.isFinite(Number(priority))) contact.priority = Number(priority);
      return contact;
    });
    owners.sort((a, b) => (a.priority ?? 99) - (b.priority ?? 99));
    return { id: name, name, ...(importance ? { importance } : {}), owners, rule: `generic CMDB ${rule}` };
  }

  async function lookup(
    template: string,
    placeholder: string,
    value: string,
    signal: AbortSignal,
  ): Promise<CmdbRecord | undefined> {
    const url = template.replace(`{${placeholder}}`, encodeURIComponent(value));
    const answer = await cmdbRequest(
      url,
      { method: 'GET', headers: settings.headers(), onAnswer: settings.onAnswer },
      signal,
    );
    if (answer.status === 404) return undefined;
    if (answer.status !== 200) throw malformed(`generic CMDB: HTTP ${answer.status}`);
    if (m.code) {
      const code = readPath(answer.body, m.code.path);
      if (code !== m.code.ok) throw refused(String(code));
    }
    const items = readPath(answer.body, m.items);
    if (!Array.isArray(items)) throw malformed(`generic CMDB: ${m.items} is not a list`);
    return items.length ? toRecord(items[0], `${placeholder} ${value}`) : undefined;
  }

  return {
    kind: 'generic',
    forNamespace: ({ namespace }, signal) => lookup(settings.namespaceUrl, 'namespace', namespace, signal),
    business: (name, signal) => lookup(settings.businessUrl, 'name', name, signal),
  };
}
