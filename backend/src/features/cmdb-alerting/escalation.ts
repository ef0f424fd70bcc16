import type {
  AlertBusiness,
  AlertEscalation,
  EscalationPolicyInput,
  ReceiverInput,
} from '@ks-gpu-ml/contracts';
import type { Notification } from '../../clients/channels/channel.js';
import type { ConfigStore } from '../../clients/store/alert-config.js';
import type { EscalationRow, EscalationStore, IntakeEvent } from '../../clients/store/alert-escalation.js';
import { alertKeyOf, receiverRef, renderNotification, resolveReceiver } from './escalation-notify.js';
import { planEscalation, totalOccurrences, type StepOccurrence } from './escalation-plan.js';
import { addressedTo, contactRef, contactsApply, contactsOf, parseContactRef } from './owner-contacts.js';
import { choosePolicy } from './policies.js';
import { repliesConfigured } from './reply-code.js';
import type { RoutedAlert } from './routing.js';

/**
 * The escalation engine (docs/adr/0031): reads what the intake committed, starts an escalation for each firing
 * alert a policy matches, and on every tick asks the planner what is due and hands those notifications to the
 * outbox. Acknowledging or resolving ends the escalation at once and cancels what the outbox has not sent yet;
 * a resolve notifies everyone notified so far. All state is in the store, written conditionally, so replicas can
 * tick side by side and a restart continues where the last tick stopped.
 */

/** The part of the outbox (backend/src/clients/store/outbox.ts) the engine uses. */
export interface EscalationOutbox {
  enqueue(entries: readonly { receiver: string; notification: Notification }[], now: number): Promise<number>;
  cancelPending(alertKey: string, now: number): Promise<number>;
}

export interface EscalationDeps {
  store: EscalationStore<EscalationPolicyInput>;
  receivers: ConfigStore<ReceiverInput>;
  policies: ConfigStore<EscalationPolicyInput>;
  /** The workspace of a namespace (the process' one membership watch). */
  workspaceOf: (namespace: string) => Promise<string | undefined>;
  outbox: EscalationOutbox;
  /** The business system an alert hits (enrich.ts); never throws. Notifications and the view carry it. */
  enrich?: (labels: Readonly<Record<string, string>>) => Promise<AlertBusiness>;
  /**
   * Routing by business (routing-setup.ts), asked after enrichment: the escalation of the routing policy that takes
   * the alert, null when that policy routes it to nobody, undefined to follow the escalation policies' labels.
   */
  route?: (
    alert: RoutedAlert,
    now: number,
  ) => Promise<{ owner: string; spec: EscalationPolicyInput } | null | undefined>;
  /** The signed link for (alert, person), when links are configured. */
  ackUrl?: (alertKey: string, person: string) => string | undefined;
  /** The code WeCom app messages ask to reply with (docs/adr/0047), when replies are configured. */
  replyCode?: (alertKey: string) => string | undefined;
  /** Messages in each receiver's language (the backend's catalogues); English words without it. */
  translate?: (language: 'en' | 'zh', key: string) => string;
  /** How many milliseconds one second of a policy's waits lasts (ALERT_ESCALATION_SECOND_MS). */
  secondMs: number;
  now: () => number;
}

const BATCH = 500;

/** An escalation about to start: its row (first steps claimed) and the messages of those steps. */
interface Starting {
  row: EscalationRow<EscalationPolicyInput>;
  entries: { receiver: string; notification: Notification }[];
}

/** Whom a notification goes to: a receiver, or a group of people through a receiver's channel (`channelRef`). */
interface Target {
  ref: string;
  spec: ReceiverInput;
  channelRef?: string;
}

export function createEscalationEngine(deps: EscalationDeps) {
  const { store, outbox } = deps;

  async function knownReceivers(owner: string): Promise<Map<string, ReceiverInput>> {
    const rows = await deps.receivers.listOwners(owner ? [owner, ''] : ['']);
    return new Map(rows.map((r) => [receiverRef(r.owner, r.name), r.spec]));
  }

  /** One notification per receiver, each once; a step's contacts go out through their receiver's channel. */
  function notifications(
    row: EscalationRow<EscalationPolicyInput>,
    receivers: Target[],
    status: 'firing' | 'resolved',
    seq: number,
  ) {
    const unique = new Map(receivers.map((r) => [r.ref, r]));
    return [...unique.values()].map(({ channelRef, ...receiver }) => ({
      receiver: channelRef ?? receiver.ref,
      notification: renderNotification({
        alertKey: row.alertKey,
        alert: row.alert,
        status,
        seq,
        receiver,
        ...(status === 'firing' ? { ackUrl: deps.ackUrl?.(row.alertKey, receiver.ref) } : {}),
        ...(status === 'firing' && repliesConfigured(receiver.spec)
          ? { replyCode: deps.replyCode?.(row.alertKey) }
          : {}),
        ...(deps.translate ? { translate: deps.translate } : {}),
      }),
    }));
  }

  /** The receivers a step names, as the escalation's owner sees them; a receiver deleted since is skipped. */
  async function stepReceivers(row: EscalationRow<EscalationPolicyInput>, names: string[]) {
    const known = await knownReceivers(row.owner);
    return names.flatMap((name) => resolveReceiver(row.owner, name, known) ?? []);
  }

  /** The business system's people a step reaches (its `contacts`), each group through its receiver's channel. */
  async function stepContacts(row: EscalationRow<EscalationPolicyInput>, due: StepOccurrence[]) {
    const business = row.alert.business;
    const contacts = due.flatMap((o) => row.policy.steps[o.index]!.contacts ?? []);
    if (!business || contacts.length === 0) return [];
    const known = await knownReceivers(row.owner);
    return contacts.flatMap((c): Target[] => {
      if (!contactsApply(c, row.alert.labels, business)) return [];
      const via = resolveReceiver(row.owner, c.via, known);
      const spec = via && addressedTo(via.spec, contactsOf(business, c.who));
      return via && spec ? [{ ref: contactRef(via.ref, c.who), spec, channelRef: via.ref }] : [];
    });
  }

  /**
   * A firing alert's escalation as it will start, or undefined when nothing escalates it: its row with the steps due
   * at once already claimed (a chain they complete is exhausted), and their messages.
   */
  async function prepareStart(event: IntakeEvent, now: number): Promise<Starting | undefined> {
    let business = deps.route && deps.enrich ? await deps.enrich(event.labels) : undefined;
    let chosen = await deps.route?.(
      { labels: event.labels, startsAt: event.startsAt, ...(business ? { business } : {}) },
      now,
    );
    if (chosen === null) return undefined;
    if (!chosen) {
      const workspace = event.labels.namespace ? await deps.workspaceOf(event.labels.namespace) : undefined;
      const candidates = await deps.policies.listOwners(workspace ? [workspace, ''] : ['']);
      chosen = choosePolicy(event.labels, workspace, candidates);
    }
    if (!chosen) return undefined;
    const { id: _id, status: _status, ...fields } = event;
    business ??= deps.enrich ? await deps.enrich(event.labels) : undefined;
    const row: EscalationRow<EscalationPolicyInput> = {
      alertKey: alertKeyOf(event),
      owner: chosen.owner,
      policy: chosen.spec,
      alert: business ? { ...fields, business } : fields,
      firingAt: Date.parse(event.startsAt) || now,
      state: 'escalating',
      stepsSent: 0,
      notified: [],
    };
    const { send: due } = planEscalation({
      policy: row.policy,
      firingAt: row.firingAt,
      acknowledgedBy: [],
      resolved: false,
      stepsSent: 0,
      now,
      secondMs: deps.secondMs,
    });
    if (due.length === 0) return { row, entries: [] };
    const { entries, notified, to } = await dueMessages(row, due);
    const state = to === totalOccurrences(row.policy) ? 'exhausted' : 'escalating';
    return { row: { ...row, stepsSent: to, notified, state }, entries };
  }

  /**
   * Starts a batch of escalations in a few inserts that also claim their first steps: a storm costs a commit per
   * few hundred alerts, not three per alert (docs/adr/0043). As in `send`, only the replica whose insert wins
   * enqueues, and a failed enqueue hands the steps back to the next tick.
   */
  async function startAll(starting: readonly Starting[], now: number): Promise<void> {
    const seen = new Set<string>();
    const once = starting.filter((s) => !seen.has(s.row.alertKey) && seen.add(s.row.alertKey));
    if (once.length === 0) return;
    const inserted = await store.startMany(
      once.map((s) => s.row),
      now,
    );
    const won = once.filter((s) => inserted.has(s.row.alertKey) && s.row.stepsSent > 0);
    if (won.length === 0) return;
    try {
      await outbox.enqueue(
        won.flatMap((s) => s.entries),
        now,
      );
    } catch (err) {
      for (const { row } of won) {
        if (row.state === 'exhausted') await store.transition(row.alertKey, ['exhausted'], 'escalating', now);
        await store.advance(row.alertKey, row.stepsSent, 0, [], now);
      }
      throw err;
    }
  }

  /** Ends the escalation; only the caller whose transition won sends the resolved notices (no replica twice). */
  async function resolve(alertKey: string, now: number): Promise<void> {
    if (!(await store.transition(alertKey, ['escalating', 'acknowledged', 'exhausted'], 'resolved', now)))
      return;
    await outbox.cancelPending(alertKey, now);
    const row = await store.get(alertKey);
    if (!row || row.notified.length === 0) return;
    const known = await knownReceivers(row.owner);
    const everyone = row.notified.flatMap((ref): Target[] => {
      if (known.has(ref)) return [{ ref, spec: known.get(ref)! }];
      // A group of the system's people: the resolved notice reaches them as the firing one did.
      const group = parseContactRef(ref);
      const via = group && known.get(group.via);
      const spec = via && row.alert.business && addressedTo(via, contactsOf(row.alert.business, group.who));
      return group && spec ? [{ ref, spec, channelRef: group.via }] : [];
    });
    await outbox.enqueue(notifications(row, everyone, 'resolved', row.stepsSent), now);
  }

  /** Starts or resolves the next batch the intake recorded; how many events it read. */
  async function readIntake(now: number): Promise<number> {
    const events = await store.intakeAfter(await store.cursor(), BATCH);
    let starting: Starting[] = [];
    for (const event of events) {
      if (event.status === 'firing') {
        const start = await prepareStart(event, now);
        if (start) starting.push(start);
        continue;
      }
      // The starts recorded before a resolve happen before it.
      await startAll(starting, now);
      starting = [];
      await resolve(alertKeyOf(event), now);
    }
    await startAll(starting, now);
    const last = events.at(-1);
    if (last) await store.moveCursor(last.id, now);
    return events.length;
  }

  /** The messages of the due steps, and the row's step count and notified list once they are sent. */
  async function dueMessages(row: EscalationRow<EscalationPolicyInput>, due: StepOccurrence[]) {
    const names = [...new Set(due.flatMap((o) => row.policy.steps[o.index]!.receivers))];
    const targets = [...(await stepReceivers(row, names)), ...(await stepContacts(row, due))];
    return {
      entries: notifications(row, targets, 'firing', due.at(-1)!.seq),
      notified: [...new Set([...row.notified, ...targets.map((t) => t.ref)])],
      to: due.at(-1)!.seq + 1,
    };
  }

  async function send(
    row: EscalationRow<EscalationPolicyInput>,
    due: StepOccurrence[],
    now: number,
  ): Promise<void> {
    const { entries, notified, to } = await dueMessages(row, due);
    // Claim the step first: the replica whose conditional write wins enqueues, the other sees it lost.
    if (!(await store.advance(row.alertKey, row.stepsSent, to, notified, now))) return;
    try {
      await outbox.enqueue(entries, now);
    } catch (err) {
      await store.advance(row.alertKey, to, row.stepsSent, row.notified, now);
      throw err;
    }
  }

  /** Plans one escalation now and carries out what is due. */
  async function step(row: EscalationRow<EscalationPolicyInput>, now: number): Promise<void> {
    const acknowledgedBy = await store.acknowledgedBy(row.alertKey);
    const plan = planEscalation({
      policy: row.policy,
      firingAt: row.firingAt,
      acknowledgedBy,
      resolved: false,
      stepsSent: row.stepsSent,
      now,
      secondMs: deps.secondMs,
    });
    if (plan.state === 'acknowledged') {
      if (await store.transition(row.alertKey, ['escalating', 'exhausted'], 'acknowledged', now))
        await outbox.cancelPending(row.alertKey, now);
    } else if (plan.state === 'exhausted') {
      await store.transition(row.alertKey, ['escalating'], 'exhausted', now);
    } else if (plan.send.length > 0) {
      await send(row, plan.send, now);
    }
  }

  return {
    /** One pass: new intake rows, then every running escalation. */
    async tick(): Promise<void> {
      const now = deps.now();
      // All the intake recorded and every running escalation, a batch at a time: a storm of thousands is started
      // and stepped in one tick, not 500 a tick (with ticks seconds apart, a 10,000-alert storm took minutes and
      // escalations past the oldest 500 waited for those to end before any later step).
      while ((await readIntake(now)) === BATCH);
      for (let page = await store.escalating(BATCH); page.length > 0;) {
        for (const row of page) await step(row, now);
        page = page.length < BATCH ? [] : await store.escalating(BATCH, page.at(-1)!.id);
      }
    },

    /**
     * Records one person's acknowledgement and re-plans at once, so the escalation stops before the next tick:
     * `unknown` when the alert has no escalation, `again` when this person acknowledged it before.
     */
    async acknowledge(alertKey: string, person: string, via: string): Promise<'done' | 'again' | 'unknown'> {
      const now = deps.now();
      const row = await store.get(alertKey);
      if (!row) return 'unknown';
      if (!(await store.acknowledge(alertKey, person, via, now))) return 'again';
      if (row.state === 'escalating' || row.state === 'exhausted') await step(row, now);
      return 'done';
    },

    /** The escalation as the API shows it; undefined when the alert has none. */
    async view(alertKey: string): Promise<AlertEscalation | undefined> {
      const row = await store.get(alertKey);
      if (!row) return undefined;
      const acknowledgedBy = await store.acknowledgedBy(alertKey);
      const plan = planEscalation({
        policy: row.policy,
        firingAt: row.firingAt,
        acknowledgedBy,
        resolved: row.state === 'resolved',
        stepsSent: row.stepsSent,
        now: deps.now(),
        secondMs: deps.secondMs,
      });
      const next = row.state === 'escalating' ? (plan.send[0] ?? plan.next) : undefined;
      return {
        alertKey,
        policy: row.policy.name,
        workspace: row.owner,
        state: row.state,
        stepsSent: row.stepsSent,
        acknowledgedBy,
        notified: row.notified,
        ...(next ? { nextStepAt: new Date(next.at).toISOString() } : {}),
        ...(row.alert.business ? { business: row.alert.business } : {}),
        chain: { steps: row.policy.steps, repeat: row.policy.repeat },
      };
    },
  };
}

export type EscalationEngine = ReturnType<typeof createEscalationEngine>;
