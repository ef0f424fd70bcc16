// The editors' drafts (text as typed) and their bodies (the contract's inputs), pure: a draft that cannot make a
// valid body names its field and a message key before any request; the backend's 400 for anything else is shown
// as it says it. What each receiver type takes is the contract's RECEIVER_FIELDS, the table the backend checks.
import {
  RECEIVER_FIELDS,
  type EscalationPolicy,
  type EscalationPolicyInput,
  type Receiver,
  type ReceiverInput,
  type ReceiverRecipient,
  type ReceiverType,
  type SecretRef,
  type SilenceInput,
} from '@ks-gpu-ml/contracts';
import { contactsText, parseContacts } from './routing-drafts.js';

/** A field of the draft that is wrong and the message key (cmdb-alerting.invalid.<key>) that says why. */
export interface DraftProblem {
  field: string;
  key: string;
  params?: Record<string, string | number>;
}
export type Built<B> = { body: B } | { problem: DraftProblem };

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const validName = (name: string) => name.length <= 63 && NAME.test(name);

// ---- receivers -------------------------------------------------------------------------------------------------

export interface SecretDraft {
  namespace: string;
  name: string;
  key: string;
}
export interface ReceiverDraft {
  name: string;
  type: ReceiverType;
  description: string;
  settings: Record<string, string>;
  secrets: Record<string, SecretDraft>;
  /** One recipient a line: `value` or `Name: value` (the value is the type's recipient field). */
  recipients: string;
}

export const emptyReceiverDraft = (type: ReceiverType = 'wecom-robot'): ReceiverDraft => ({
  name: '',
  type,
  description: '',
  settings: {},
  secrets: {},
  recipients: '',
});

export function receiverDraftOf(receiver: Receiver): ReceiverDraft {
  const field = RECEIVER_FIELDS[receiver.type].recipientField;
  return {
    name: receiver.name,
    type: receiver.type,
    description: receiver.description ?? '',
    settings: { ...receiver.settings },
    secrets: Object.fromEntries(
      Object.entries(receiver.secretRefs).map(([k, ref]) => [k, { ...ref }] as const),
    ),
    recipients: field
      ? receiver.recipients
          .map((r) => (r.name ? `${r.name}: ${r[field] ?? ''}` : (r[field] ?? '')))
          .join('\n')
      : '',
  };
}

const RECIPIENT_PATTERNS: Record<string, RegExp> = {
  wecomUserId: /^[-_.@a-zA-Z0-9]{1,64}$/,
  mobile: /^\+?[0-9]{5,20}$/,
  email: /^[^\s@]+@[^\s@]+$/,
};

function recipientsOf(text: string, field: keyof ReceiverRecipient): Built<ReceiverRecipient[]> {
  const out: ReceiverRecipient[] = [];
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  for (const [i, line] of lines.entries()) {
    const colon = line.lastIndexOf(':');
    const name = colon > 0 ? line.slice(0, colon).trim() : '';
    const value = (colon > 0 ? line.slice(colon + 1) : line).trim();
    if (!RECIPIENT_PATTERNS[field]!.test(value))
      return { problem: { field: 'recipients', key: `recipient.${field}`, params: { line: i + 1 } } };
    out.push({ ...(name ? { name } : {}), [field]: value });
  }
  return { body: out };
}

export function receiverBody(draft: ReceiverDraft): Built<ReceiverInput> {
  const name = draft.name.trim();
  if (!validName(name)) return { problem: { field: 'name', key: 'name' } };
  const fields = RECEIVER_FIELDS[draft.type];
  const settings: Record<string, string> = {};
  for (const key of [...fields.settings.required, ...fields.settings.optional]) {
    const value = (draft.settings[key] ?? '').trim();
    if (value) settings[key] = value;
    else if (fields.settings.required.includes(key))
      return { problem: { field: `settings.${key}`, key: 'required' } };
  }
  const secretRefs: Record<string, SecretRef> = {};
  for (const key of [...fields.secrets.required, ...fields.secrets.optional]) {
    const ref = draft.secrets[key] ?? { namespace: '', name: '', key: '' };
    const parts = [ref.namespace.trim(), ref.name.trim(), ref.key.trim()];
    if (parts.every((p) => !p)) {
      if (fields.secrets.required.includes(key))
        return { problem: { field: `secrets.${key}`, key: 'secretRef' } };
      continue;
    }
    if (parts.some((p) => !p)) return { problem: { field: `secrets.${key}`, key: 'secretRef' } };
    secretRefs[key] = { namespace: parts[0]!, name: parts[1]!, key: parts[2]! };
  }
  let recipients: ReceiverRecipient[] = [];
  if (fields.recipientField) {
    const built = recipientsOf(draft.recipients, fields.recipientField);
    if ('problem' in built) return built;
    recipients = built.body;
  }
  const description = draft.description.trim();
  return {
    body: {
      name,
      type: draft.type,
      ...(description ? { description } : {}),
      settings,
      secretRefs,
      recipients,
    },
  };
}

// ---- escalation policies ---------------------------------------------------------------------------------------

export interface StepDraft {
  /** Receiver names, separated by commas. */
  receivers: string;
  /** Minutes to wait for an acknowledgement before the next step. */
  waitMinutes: string;
  acksRequired: string;
  /** The system's people this step reaches, a group a line (routing-drafts.ts contactsText). */
  contacts?: string;
}
export interface PolicyDraft {
  name: string;
  description: string;
  /** `key=value` a line. */
  matchLabels: string;
  steps: StepDraft[];
  repeat: string;
}

export const emptyStep = (): StepDraft => ({ receivers: '', waitMinutes: '5', acksRequired: '1' });
export const emptyPolicyDraft = (): PolicyDraft => ({
  name: '',
  description: '',
  matchLabels: '',
  steps: [emptyStep()],
  repeat: '0',
});

export function policyDraftOf(policy: EscalationPolicy): PolicyDraft {
  return {
    name: policy.name,
    description: policy.description ?? '',
    matchLabels: Object.entries(policy.matchLabels)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n'),
    steps: policy.steps.map((s) => ({
      receivers: s.receivers.join(', '),
      waitMinutes: String(s.waitSeconds / 60),
      acksRequired: String(s.acksRequired ?? 1),
      ...(s.contacts?.length ? { contacts: contactsText(s.contacts) } : {}),
    })),
    repeat: String(policy.repeat),
  };
}

const wholeIn = (text: string, min: number, max: number) => {
  const n = Number(text.trim());
  return text.trim() !== '' && Number.isInteger(n) && n >= min && n <= max ? n : undefined;
};

export function policyBody(draft: PolicyDraft): Built<EscalationPolicyInput> {
  const name = draft.name.trim();
  if (!validName(name)) return { problem: { field: 'name', key: 'name' } };
  const matchLabels: Record<string, string> = {};
  for (const [i, line] of draft.matchLabels.split('\n').entries()) {
    if (!line.trim()) continue;
    const eq = line.indexOf('=');
    const key = eq > 0 ? line.slice(0, eq).trim() : '';
    if (!key) return { problem: { field: 'matchLabels', key: 'label', params: { line: i + 1 } } };
    matchLabels[key] = line.slice(eq + 1).trim();
  }
  if (draft.steps.length === 0) return { problem: { field: 'steps', key: 'noSteps' } };
  const steps: EscalationPolicyInput['steps'] = [];
  for (const [i, step] of draft.steps.entries()) {
    const receivers = step.receivers
      .split(',')
      .map((r) => r.trim())
      .filter(Boolean);
    const parsed = parseContacts(step.contacts ?? '');
    if ('line' in parsed)
      return {
        problem: { field: `steps.${i}.contacts`, key: 'contact', params: { step: i + 1, line: parsed.line } },
      };
    const { contacts } = parsed;
    if (
      (receivers.length === 0 && contacts.length === 0) ||
      receivers.length > 10 ||
      !receivers.every(validName)
    )
      return { problem: { field: `steps.${i}.receivers`, key: 'stepReceivers', params: { step: i + 1 } } };
    const minutes = Number(step.waitMinutes.trim());
    const waitSeconds = Math.round(minutes * 60);
    if (
      step.waitMinutes.trim() === '' ||
      !Number.isFinite(minutes) ||
      waitSeconds < 0 ||
      waitSeconds > 86_400
    )
      return { problem: { field: `steps.${i}.waitMinutes`, key: 'wait', params: { step: i + 1 } } };
    const acksRequired = wholeIn(step.acksRequired, 1, 10);
    if (acksRequired === undefined)
      return { problem: { field: `steps.${i}.acksRequired`, key: 'acks', params: { step: i + 1 } } };
    steps.push({
      receivers,
      waitSeconds,
      ...(acksRequired > 1 ? { acksRequired } : {}),
      ...(contacts.length ? { contacts } : {}),
    });
  }
  const repeat = wholeIn(draft.repeat, 0, 10);
  if (repeat === undefined) return { problem: { field: 'repeat', key: 'repeat' } };
  const description = draft.description.trim();
  return { body: { name, ...(description ? { description } : {}), matchLabels, steps, repeat } };
}

// ---- silences --------------------------------------------------------------------------------------------------

export interface SilenceDraft {
  /** One matcher a line: `name=value`, `name!=value`, `name=~regex`, `name!~regex`. */
  matchers: string;
  durationMinutes: string;
  comment: string;
}

export const emptySilenceDraft = (matchers = ''): SilenceDraft => ({
  matchers,
  durationMinutes: '120',
  comment: '',
});

const MATCHER = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"?(.*?)"?\s*$/;

export function silenceBody(draft: SilenceDraft): Built<SilenceInput> {
  const matchers: SilenceInput['matchers'] = [];
  for (const [i, line] of draft.matchers.split('\n').entries()) {
    if (!line.trim()) continue;
    const m = MATCHER.exec(line);
    if (!m) return { problem: { field: 'matchers', key: 'matcher', params: { line: i + 1 } } };
    const op = m[2]!;
    matchers.push({ name: m[1]!, value: m[3]!, isRegex: op.includes('~'), isEqual: !op.startsWith('!') });
  }
  if (matchers.length === 0) return { problem: { field: 'matchers', key: 'noMatchers' } };
  const durationMinutes = wholeIn(draft.durationMinutes, 1, 43_200);
  if (durationMinutes === undefined) return { problem: { field: 'durationMinutes', key: 'duration' } };
  const comment = draft.comment.trim();
  if (!comment) return { problem: { field: 'comment', key: 'required' } };
  return { body: { matchers, durationMinutes, comment } };
}

/** A matcher as Alertmanager writes it (`name=~"regex"`). */
export function matcherText(m: SilenceInput['matchers'][number]): string {
  const negated = m.isEqual === false;
  const op = m.isRegex ? (negated ? '!~' : '=~') : negated ? '!=' : '=';
  return `${m.name}${op}"${m.value}"`;
}
