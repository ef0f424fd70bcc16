// The CMDB settings and routing policy editors' drafts (text as typed) and their bodies (the contract's inputs),
// pure: a draft that cannot make a valid body names its field and a message key (cmdb-alerting.invalid.<key>)
// before any request; the backend's 400 for anything else is shown as it says it.
import {
  WEEKDAYS,
  type CmdbKindName,
  type CmdbSettingsInput,
  type GenericCmdbFields,
  type RoutingPolicy,
  type RoutingPolicyInput,
  type StepContacts,
} from '@ks-gpu-ml/contracts';
import type { Built } from './drafts.js';

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const list = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
const wholeIn = (text: string, min: number, max: number) => {
  const n = Number(text.trim());
  return text.trim() !== '' && Number.isInteger(n) && n >= min && n <= max ? n : undefined;
};
const opt = <K extends string>(key: K, value: string) =>
  (value.trim() ? { [key]: value.trim() } : {}) as Partial<Record<K, string>>;

// ---- CMDB settings ---------------------------------------------------------------------------------------------

export interface CmdbDraft {
  kind: CmdbKindName;
  enabled: boolean;
  url: string;
  secretNamespace: string;
  secretName: string;
  secretKey: string;
  appCode: string;
  username: string;
  clusterUid: string;
  importanceField: string;
  namespaceField: string;
  wecomField: string;
  /** The generic CMDB's URLs and field mapping, as JSON. */
  generic: string;
  ttlSeconds: string;
  lastKnownSeconds: string;
  timeoutMs: string;
}

export const GENERIC_EXAMPLE: GenericCmdbFields = {
  namespaceUrl: 'https://cmdb.example.com/api/systems?namespace={namespace}',
  businessUrl: 'https://cmdb.example.com/api/systems?name={name}',
  header: 'Authorization',
  headerPrefix: 'Bearer ',
  items: 'data.items',
  name: 'system_name',
  importance: 'level',
  owners: 'owners',
  owner: { name: 'name', wecomUserId: 'wx', mobile: 'tel', email: 'mail' },
  code: { path: 'code', ok: 0 },
};

export const emptyCmdbDraft = (): CmdbDraft => ({
  kind: 'netbox',
  enabled: true,
  url: '',
  secretNamespace: '',
  secretName: '',
  secretKey: '',
  appCode: '',
  username: '',
  clusterUid: '',
  importanceField: '',
  namespaceField: '',
  wecomField: '',
  generic: JSON.stringify(GENERIC_EXAMPLE, null, 2),
  ttlSeconds: '300',
  lastKnownSeconds: '',
  timeoutMs: '2000',
});

export function cmdbDraftOf(s: CmdbSettingsInput): CmdbDraft {
  return {
    ...emptyCmdbDraft(),
    kind: s.kind,
    enabled: s.enabled,
    url: s.url ?? '',
    secretNamespace: s.secretRef?.namespace ?? '',
    secretName: s.secretRef?.name ?? '',
    secretKey: s.secretRef?.key ?? '',
    appCode: s.appCode ?? '',
    username: s.username ?? '',
    clusterUid: s.clusterUid ?? '',
    importanceField: s.importanceField ?? '',
    namespaceField: s.namespaceField ?? '',
    wecomField: s.wecomField ?? '',
    ...(s.generic ? { generic: JSON.stringify(s.generic, null, 2) } : {}),
    ttlSeconds: String(s.ttlSeconds),
    lastKnownSeconds: s.lastKnownSeconds === undefined ? '' : String(s.lastKnownSeconds),
    timeoutMs: String(s.timeoutMs),
  };
}

export function cmdbBody(d: CmdbDraft): Built<CmdbSettingsInput> {
  const secretParts = [d.secretNamespace, d.secretName, d.secretKey].map((s) => s.trim());
  if (secretParts.some(Boolean) && !secretParts.every(Boolean))
    return { problem: { field: 'secretRef', key: 'secretRef' } };
  const ttlSeconds = wholeIn(d.ttlSeconds, 5, 86_400);
  if (ttlSeconds === undefined) return { problem: { field: 'ttlSeconds', key: 'ttl' } };
  const timeoutMs = wholeIn(d.timeoutMs, 100, 30_000);
  if (timeoutMs === undefined) return { problem: { field: 'timeoutMs', key: 'timeout' } };
  const lastKnownSeconds = d.lastKnownSeconds.trim() ? wholeIn(d.lastKnownSeconds, 60, 604_800) : undefined;
  if (d.lastKnownSeconds.trim() && lastKnownSeconds === undefined)
    return { problem: { field: 'lastKnownSeconds', key: 'lastKnown' } };
  let generic: GenericCmdbFields | undefined;
  if (d.kind === 'generic') {
    try {
      generic = JSON.parse(d.generic) as GenericCmdbFields;
    } catch {
      return { problem: { field: 'generic', key: 'json' } };
    }
  }
  const [namespace, name, key] = secretParts as [string, string, string];
  return {
    body: {
      kind: d.kind,
      enabled: d.enabled,
      ...(d.kind !== 'generic' ? opt('url', d.url) : {}),
      ...(namespace ? { secretRef: { namespace, name, key } } : {}),
      ...(d.kind === 'bk-cmdb'
        ? { ...opt('appCode', d.appCode), ...opt('username', d.username), ...opt('clusterUid', d.clusterUid) }
        : {}),
      ...(d.kind === 'netbox'
        ? { ...opt('namespaceField', d.namespaceField), ...opt('wecomField', d.wecomField) }
        : {}),
      ...(d.kind !== 'generic' ? opt('importanceField', d.importanceField) : {}),
      ...(generic ? { generic } : {}),
      ttlSeconds,
      ...(lastKnownSeconds !== undefined ? { lastKnownSeconds } : {}),
      timeoutMs,
    },
  };
}

// ---- routing policies ------------------------------------------------------------------------------------------

export type Weekday = (typeof WEEKDAYS)[number];

export interface RoutingDraft {
  name: string;
  description: string;
  priority: string;
  systems: string;
  importance: string;
  severities: string;
  clusters: string;
  namespaces: string;
  /** One label a line: name=value. */
  labels: string;
  unowned: 'any' | 'yes' | 'no';
  receivers: string;
  escalationPolicy: string;
  isDefault: boolean;
  windowOn: boolean;
  timeZone: string;
  days: Weekday[];
  start: string;
  end: string;
  holidays: string;
  outside: boolean;
}

export const emptyRoutingDraft = (): RoutingDraft => ({
  name: '',
  description: '',
  priority: '100',
  systems: '',
  importance: '',
  severities: '',
  clusters: '',
  namespaces: '',
  labels: '',
  unowned: 'any',
  receivers: '',
  escalationPolicy: '',
  isDefault: false,
  windowOn: false,
  timeZone: 'Asia/Shanghai',
  days: ['mon', 'tue', 'wed', 'thu', 'fri'],
  start: '09:00',
  end: '18:00',
  holidays: '',
  outside: false,
});

export function routingDraftOf(p: RoutingPolicy): RoutingDraft {
  const m = p.match;
  return {
    ...emptyRoutingDraft(),
    name: p.name,
    description: p.description ?? '',
    priority: String(p.priority),
    systems: (m.systems ?? []).join(', '),
    importance: (m.importance ?? []).join(', '),
    severities: (m.severities ?? []).join(', '),
    clusters: (m.clusters ?? []).join(', '),
    namespaces: (m.namespaces ?? []).join(', '),
    labels: Object.entries(m.labels ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join('\n'),
    unowned: m.unowned === undefined ? 'any' : m.unowned ? 'yes' : 'no',
    receivers: p.receivers.join(', '),
    escalationPolicy: p.escalationPolicy ?? '',
    isDefault: p.default ?? false,
    ...(p.window
      ? {
          windowOn: true,
          timeZone: p.window.timeZone,
          days: [...p.window.days],
          start: p.window.start,
          end: p.window.end,
          holidays: (p.window.holidays ?? []).join(', '),
          outside: p.window.outside ?? false,
        }
      : {}),
  };
}

const HHMM = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;
const DATE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;

export function routingBody(d: RoutingDraft): Built<RoutingPolicyInput> {
  const name = d.name.trim();
  if (name.length > 63 || !NAME.test(name)) return { problem: { field: 'name', key: 'name' } };
  const priority = wholeIn(d.priority, 0, 10_000);
  if (priority === undefined) return { problem: { field: 'priority', key: 'priority' } };
  const labels: Record<string, string> = {};
  for (const [i, line] of d.labels.split('\n').entries()) {
    if (!line.trim()) continue;
    const eq = line.indexOf('=');
    const key = eq > 0 ? line.slice(0, eq).trim() : '';
    if (!key) return { problem: { field: 'labels', key: 'label', params: { line: i + 1 } } };
    labels[key] = line.slice(eq + 1).trim();
  }
  const receivers = list(d.receivers);
  if (receivers.length > 10 || !receivers.every((r) => NAME.test(r)))
    return { problem: { field: 'receivers', key: 'routingReceivers' } };
  const namespaces = list(d.namespaces);
  if (!namespaces.every((n) => NAME.test(n))) return { problem: { field: 'namespaces', key: 'namespaces' } };
  const lists = {
    systems: list(d.systems),
    importance: list(d.importance),
    severities: list(d.severities),
    clusters: list(d.clusters),
    namespaces,
  };
  let window: RoutingPolicyInput['window'];
  if (d.windowOn) {
    if (d.days.length === 0) return { problem: { field: 'days', key: 'days' } };
    if (!HHMM.test(d.start.trim())) return { problem: { field: 'start', key: 'time' } };
    if (!HHMM.test(d.end.trim())) return { problem: { field: 'end', key: 'time' } };
    const holidays = list(d.holidays);
    if (!holidays.every((h) => DATE.test(h))) return { problem: { field: 'holidays', key: 'holidays' } };
    window = {
      timeZone: d.timeZone.trim(),
      days: WEEKDAYS.filter((w) => d.days.includes(w)),
      start: d.start.trim(),
      end: d.end.trim(),
      ...(holidays.length ? { holidays } : {}),
      ...(d.outside ? { outside: true } : {}),
    };
  }
  const description = d.description.trim();
  return {
    body: {
      name,
      ...(description ? { description } : {}),
      priority,
      match: {
        ...Object.fromEntries(Object.entries(lists).filter(([, v]) => v.length > 0)),
        ...(Object.keys(labels).length ? { labels } : {}),
        ...(d.unowned === 'any' ? {} : { unowned: d.unowned === 'yes' }),
      },
      ...(window ? { window } : {}),
      receivers,
      ...opt('escalationPolicy', d.escalationPolicy),
      ...(d.isDefault ? { default: true } : {}),
    },
  };
}

/** "payments, orders · critical · P1" — what a policy takes, in a line. */
export function matchText(p: RoutingPolicyInput, unownedWord: string, everyWord: string): string {
  const m = p.match;
  const parts = [
    m.unowned === true ? unownedWord : '',
    (m.systems ?? []).join(', '),
    (m.importance ?? []).join(', '),
    (m.severities ?? []).join(', '),
    (m.clusters ?? []).join(', '),
    (m.namespaces ?? []).join(', '),
    Object.entries(m.labels ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(', '),
  ].filter(Boolean);
  return parts.join(' · ') || everyWord;
}

// ---- a step's contacts (owners on their own channels) ----------------------------------------------------------

/** One group a line: `owners via app`, `owners via phone if severity=critical importance=P1`. */
export function contactsText(contacts: readonly StepContacts[] | undefined): string {
  return (contacts ?? [])
    .map((c) => {
      const cond = [
        c.severities?.length ? `severity=${c.severities.join(',')}` : '',
        c.importance?.length ? `importance=${c.importance.join(',')}` : '',
      ].filter(Boolean);
      return `${c.who} via ${c.via}${cond.length ? ` if ${cond.join(' ')}` : ''}`;
    })
    .join('\n');
}

const CONTACT_LINE = /^(owners|maintainers)\s+via\s+([a-z0-9]([-a-z0-9]*[a-z0-9])?)(?:\s+if\s+(.+))?$/;

/** The contacts a step's text names, or the first line that is not one. */
export function parseContacts(text: string): { contacts: StepContacts[] } | { line: number } {
  const contacts: StepContacts[] = [];
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (!line) continue;
    const m = CONTACT_LINE.exec(line);
    if (!m) return { line: i + 1 };
    const contact: StepContacts = { who: m[1] as StepContacts['who'], via: m[2]! };
    for (const cond of (m[4] ?? '').split(/\s+/).filter(Boolean)) {
      const [key, values = ''] = cond.split('=', 2) as [string, string?];
      const list = values.split(',').filter(Boolean);
      if (!list.length || (key !== 'severity' && key !== 'importance')) return { line: i + 1 };
      if (key === 'severity') contact.severities = list;
      else contact.importance = list;
    }
    contacts.push(contact);
  }
  return { contacts };
}
