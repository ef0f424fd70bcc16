import { RECEIVER_FIELDS, RECEIVER_LANGUAGES, type ReceiverInput } from '@ks-gpu-ml/contracts';

/** One field the schema let through but a receiver of this type cannot take: BACKEND_INVALID_FIELD's two values. */
export interface FieldIssue {
  field: string;
  problem: string;
}

function keyIssues(
  where: 'settings' | 'secretRefs',
  given: readonly string[],
  rule: { required: readonly string[]; optional: readonly string[] },
  type: string,
): FieldIssue[] {
  const known = new Set([...rule.required, ...rule.optional]);
  const missing = rule.required
    .filter((k) => !given.includes(k))
    .map((k) => ({ field: `body.${where}.${k}`, problem: `is required for a ${type} receiver` }));
  const unknown = given
    .filter((k) => !known.has(k))
    .map((k) => ({
      field: `body.${where}.${k}`,
      problem:
        known.size === 0
          ? `is not taken by a ${type} receiver (it takes none)`
          : `is not taken by a ${type} receiver (it takes ${[...known].join(', ')})`,
    }));
  return [...missing, ...unknown];
}

/**
 * What the schema cannot say: which settings, secret references and recipient fields each receiver type needs
 * (RECEIVER_FIELDS, shared with the editor). A setting no type lists is refused, so a secret pasted as a setting
 * is never stored. First issue first; empty when the receiver is valid.
 */
export function receiverIssues(input: ReceiverInput): FieldIssue[] {
  const rule = RECEIVER_FIELDS[input.type];
  const issues = [
    ...keyIssues('settings', Object.keys(input.settings), rule.settings, input.type),
    ...keyIssues('secretRefs', Object.keys(input.secretRefs), rule.secrets, input.type),
  ];
  const language = input.settings.language;
  if (language !== undefined && !(RECEIVER_LANGUAGES as readonly string[]).includes(language))
    issues.push({
      field: 'body.settings.language',
      problem: `must be one of ${RECEIVER_LANGUAGES.join(', ')}`,
    });
  const mentionAll = input.settings.mentionAll;
  if (mentionAll !== undefined && mentionAll !== 'true' && mentionAll !== 'false')
    issues.push({ field: 'body.settings.mentionAll', problem: 'must be true or false' });
  const cc = input.settings.cc;
  if (cc !== undefined && !cc.split(',').every((a) => /^[^\s@,]+@[^\s@,]+$/.test(a.trim())))
    issues.push({ field: 'body.settings.cc', problem: 'must be email addresses separated by commas' });
  const field = rule.recipientField;
  if (field) {
    if (input.recipients.length === 0)
      issues.push({
        field: 'body.recipients',
        problem: `needs at least one person for a ${input.type} receiver`,
      });
    input.recipients.forEach((r, i) => {
      if (!r[field])
        issues.push({
          field: `body.recipients.${i}.${field}`,
          problem: `is required for a ${input.type} receiver`,
        });
    });
  }
  return issues;
}
