import { randomBytes } from 'node:crypto';
import type { BusinessSilence, BusinessSilenceInput, BusinessSilenceList } from '@ks-gpu-ml/contracts';
import type { AlertmanagerClient, AlertmanagerMatcher, GettableSilence } from '../../clients/alertmanager.js';
import { AppError } from '../../core/errors.js';
import { toSilence, upstream } from './silences.js';

/**
 * Silences by business system (docs/adr/0042). Alertmanager silences label sets, not systems, so a business silence
 * is expanded to the label sets of the system's alerts — a namespace the system owns whole, or a namespace and the
 * system's pods in it — one Alertmanager silence each. Which silences belong to which system is recorded in
 * Alertmanager itself, as a tag opening each one's comment (`[business payments #3f9a…] why`): Alertmanager stays
 * the one place silences live (ADR 0031), its peers gossip the tag with them, and no second store can disagree.
 * `resync` re-expands every active business silence and replaces the silences whose label sets changed (a new pod,
 * a relabelled workload), so a silence keeps silencing exactly its system as the mapping changes.
 */
export type LabelSet = AlertmanagerMatcher[];

export interface BusinessSilenceDeps {
  alertmanager: () => AlertmanagerClient;
  /** The label sets of a system's alerts now (empty when the system maps nothing). */
  expand: (system: string) => Promise<LabelSet[]>;
  now?: () => number;
  newGroup?: () => string;
}

export interface BusinessSilenceService {
  list(): Promise<BusinessSilenceList>;
  create(input: BusinessSilenceInput, createdBy: string): Promise<BusinessSilence>;
  expire(group: string): Promise<{ id: string }>;
  /** Re-expands every active business silence; how many Alertmanager silences were added and expired. */
  resync(): Promise<{ added: number; expired: number }>;
}

/** The label set of a business silence whose system maps nothing yet: it silences no alert. */
export const PLACEHOLDER_LABEL = 'cmdb_business_silence';
const placeholder = (group: string): LabelSet => [
  { name: PLACEHOLDER_LABEL, value: group, isRegex: false, isEqual: true },
];

// Lazy: the first ` #<group>] ` closes the tag, so a comment that itself holds a tag-like text cannot move it.
// dotAll: a line break in a name written before the contract refused them must not hide the silence from its group.
const TAG = /^\[business (.+?) #([0-9a-f]{8,32})\] /s;
const tag = (system: string, group: string) => `[business ${system} #${group}] `;

/** A label set's identity: its matchers sorted (order does not change what Alertmanager silences). */
export const labelSetKey = (set: readonly AlertmanagerMatcher[]): string =>
  JSON.stringify(
    [...set]
      .map((m) => [m.name, m.value, m.isRegex, m.isEqual ?? true])
      .sort((a, b) => String(a[0]).localeCompare(String(b[0])) || String(a[1]).localeCompare(String(b[1]))),
  );

interface Tagged {
  silence: GettableSilence;
  system: string;
  group: string;
}

const live = (s: GettableSilence) => s.status.state === 'active' || s.status.state === 'pending';

function tagged(silences: readonly GettableSilence[]): Tagged[] {
  return silences.flatMap((silence) => {
    const m = TAG.exec(silence.comment);
    return m && live(silence) ? [{ silence, system: m[1]!, group: m[2]! }] : [];
  });
}

function grouped(items: readonly Tagged[]): Map<string, Tagged[]> {
  const groups = new Map<string, Tagged[]>();
  for (const t of items) groups.set(t.group, [...(groups.get(t.group) ?? []), t]);
  return groups;
}

function view(group: string, members: readonly Tagged[]): BusinessSilence {
  const first = members[0]!.silence;
  return {
    group,
    system: members[0]!.system,
    comment: first.comment.replace(TAG, ''),
    createdBy: first.createdBy,
    startsAt: members.map((m) => m.silence.startsAt).sort()[0]!,
    endsAt: members
      .map((m) => m.silence.endsAt)
      .sort()
      .at(-1)!,
    silences: members.map((m) => toSilence(m.silence)),
  };
}

export function createBusinessSilenceService(deps: BusinessSilenceDeps): BusinessSilenceService {
  const now = deps.now ?? Date.now;
  const newGroup = deps.newGroup ?? (() => randomBytes(6).toString('hex'));
  const current = async () => tagged(await upstream(() => deps.alertmanager().listSilences()));

  return {
    async list() {
      const groups = grouped(await current());
      return {
        items: [...groups]
          .map(([group, members]) => view(group, members))
          .sort((a, b) => a.system.localeCompare(b.system)),
      };
    },

    async create(input, createdBy) {
      const group = newGroup();
      const expanded = await deps.expand(input.system);
      // A system that maps nothing yet is recorded by a set no alert carries; the re-expansion replaces it with the
      // system's label sets once workloads resolve to it.
      const sets = expanded.length ? expanded : [placeholder(group)];
      const startsAt = new Date(now()).toISOString();
      const endsAt = new Date(now() + input.durationMinutes * 60_000).toISOString();
      const comment = tag(input.system, group) + input.comment;
      const am = deps.alertmanager();
      const made: Tagged[] = [];
      for (const matchers of sets) {
        const silence = { matchers, startsAt, endsAt, createdBy, comment };
        const id = await upstream(() => am.createSilence(silence));
        made.push({ silence: { ...silence, id, status: { state: 'active' } }, system: input.system, group });
      }
      // Alertmanager's own view when it already lists them (its state, its times); else what it just accepted.
      const listed = (await current()).filter((t) => t.group === group);
      return view(group, listed.length === made.length ? listed : made);
    },

    async expire(group) {
      const members = (await current()).filter((t) => t.group === group);
      if (members.length === 0)
        throw new AppError(404, 'NotFound', 'CMDB_ALERTING_SILENCE_NOT_FOUND', { id: group });
      const am = deps.alertmanager();
      for (const m of members) await upstream(() => am.expireSilence(m.silence.id));
      return { id: group };
    },

    async resync() {
      let added = 0;
      let expired = 0;
      const am = deps.alertmanager();
      for (const members of grouped(await current()).values()) {
        const system = members[0]!.system;
        const sets = await deps.expand(system);
        // A system that maps nothing right now (scaled to zero, a CMDB answer missing) keeps its silences: they
        // silence nothing else, and dropping them would end the business silence for good.
        if (sets.length === 0) continue;
        const wanted = new Map(sets.map((s) => [labelSetKey(s), s]));
        const have = new Map(members.map((m) => [labelSetKey(m.silence.matchers), m.silence]));
        const template = members[0]!.silence;
        const endsAt = members
          .map((m) => m.silence.endsAt)
          .sort()
          .at(-1)!;
        if (Date.parse(endsAt) <= now()) continue;
        for (const [key, matchers] of wanted) {
          if (have.has(key)) continue;
          await upstream(() =>
            am.createSilence({
              matchers,
              startsAt: new Date(now()).toISOString(),
              endsAt,
              createdBy: template.createdBy,
              comment: template.comment,
            }),
          );
          added++;
        }
        for (const [key, silence] of have) {
          if (wanted.has(key)) continue;
          await upstream(() => am.expireSilence(silence.id));
          expired++;
        }
      }
      return { added, expired };
    },
  };
}
