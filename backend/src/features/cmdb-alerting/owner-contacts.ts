import {
  RECEIVER_FIELDS,
  type AlertBusiness,
  type ContactGroup,
  type ReceiverInput,
  type ReceiverRecipient,
  type StepContacts,
} from '@ks-gpu-ml/contracts';

/**
 * Owners on their own channels (docs/adr/0043), pure: which of the business system's people a step's `contacts`
 * reach, whether the step applies to the alert (severities, importance), and the receiver as it then sends — its
 * channel, addressed to those people by the field that channel needs (a WeCom user id, a mobile, an email).
 */

type Person = AlertBusiness['owners']['value'][number];

/** The roles each group means: BK-CMDB's operator is `owner`, bk_biz_maintainer `ops`; NetBox's contact roles. */
const GROUP_ROLES: Record<ContactGroup, readonly string[]> = {
  owners: ['owner'],
  maintainers: ['ops', 'maintainer', 'maintainers', 'operations'],
};

/** The people of a group; people recorded without any role (workload annotations) are all owners. */
export function contactsOf(business: Pick<AlertBusiness, 'owners'>, who: ContactGroup): Person[] {
  const people = business.owners.value;
  const byRole = people.filter((p) => p.role && GROUP_ROLES[who].includes(p.role.toLowerCase()));
  if (byRole.length) return byRole;
  return who === 'owners' && people.every((p) => !p.role) ? [...people] : [];
}

/** Whether the step's contacts are reached for this alert (e.g. a phone call only for critical alerts on P1). */
export function contactsApply(
  contacts: StepContacts,
  labels: Readonly<Record<string, string>>,
  business: Pick<AlertBusiness, 'importance'>,
): boolean {
  if (contacts.severities && !contacts.severities.includes(labels.severity ?? '')) return false;
  if (contacts.importance && !contacts.importance.includes(business.importance?.value ?? '')) return false;
  return true;
}

/** The receiver addressed to these people instead of its own recipients; undefined when none can be reached by it. */
export function addressedTo(via: ReceiverInput, people: readonly Person[]): ReceiverInput | undefined {
  const field = RECEIVER_FIELDS[via.type].recipientField;
  const recipients = people
    .map((p): ReceiverRecipient => ({
      name: p.name,
      ...(p.wecomUserId ? { wecomUserId: p.wecomUserId } : {}),
      ...(p.mobile ? { mobile: p.mobile } : {}),
      ...(p.email ? { email: p.email } : {}),
    }))
    .filter((r) => (field ? Boolean(r[field]) : Boolean(r.wecomUserId ?? r.mobile)));
  return recipients.length ? { ...via, recipients } : undefined;
}

/** How the escalation records that a group was notified through a receiver (`<receiver ref>#owners`). */
export const contactRef = (viaRef: string, who: ContactGroup): string => `${viaRef}#${who}`;

export function parseContactRef(ref: string): { via: string; who: ContactGroup } | undefined {
  const at = ref.lastIndexOf('#');
  const who = ref.slice(at + 1);
  return at > 0 && (who === 'owners' || who === 'maintainers') ? { via: ref.slice(0, at), who } : undefined;
}
