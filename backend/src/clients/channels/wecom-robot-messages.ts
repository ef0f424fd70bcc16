import type { Notification, Recipient } from './channel.js';
import { packPartsTracked, utf8Bytes, utf8Prefix, type PackedMessage } from './markdown-split.js';

/**
 * What a batch becomes for one robot: markdown bodies within 4,096 bytes, as few as fit, and at most as many as the
 * robot may still send this minute. Doc 91770 (reference §5.1): `markdown` supports `<@userid>` mentions but has no
 * mentioned_mobile_list (`markdown_v2` has no mentions at all; only `text` takes mentioned_list and
 * mentioned_mobile_list, within 2,048 bytes). So user ids are mentioned inside the markdown, and people known only by
 * mobile get one extra short `text` message with mentioned_mobile_list.
 */
export const ROBOT_MARKDOWN_MAX_BYTES = 4096;
export const ROBOT_TEXT_MAX_BYTES = 2048;
/** Mentions take at most this much of each message; the alerts keep the rest. */
const MENTIONS_MAX_BYTES = 1024;

export type RobotMessage =
  | { msgtype: 'markdown'; markdown: { content: string } }
  | {
      msgtype: 'text';
      text: { content: string; mentioned_mobile_list: string[]; mentioned_list?: string[] };
    };

/** A robot message and the notifications it carries in full (none for the mentions-only text message). */
export interface RobotSend {
  message: RobotMessage;
  carries: readonly Notification[];
}

function unique(values: (string | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => Boolean(v)))];
}

function recipientsOf(batch: readonly Notification[]): Recipient[] {
  return batch.flatMap((n) => n.recipients);
}

function mentionsLine(recipients: Recipient[]): string {
  const line = unique(recipients.map((r) => r.wecomUserId))
    .map((id) => `<@${id}>`)
    .join(' ');
  const cut = utf8Prefix(line, MENTIONS_MAX_BYTES);
  return cut === line ? line : cut.slice(0, cut.lastIndexOf(' ')); // whole mentions only
}

/** A notification in one line (status, severity, title): what a storm is summarised to. */
function compactLine(n: Notification): string {
  return `${n.status === 'resolved' ? '✅' : '🔥'} **${n.severity}** ${n.title.replace(/\s+/g, ' ')}`;
}

/** A message body and the notifications it carries in full: what to report once the provider took it (ADR 0049). */
export interface MarkdownBody {
  content: string;
  carries: readonly Notification[];
}

/**
 * The first `room` messages' worth of compact lines and a last line counting the rest ("… +N"), so every
 * notification of the batch is represented, if not by its line then by the count. The count line stands for all the
 * notifications it counts: the message holding it carries them.
 */
function summarised(
  batch: readonly Notification[],
  lines: string[],
  room: number,
  maxBytes: number,
): MarkdownBody[] {
  const pack = (shown: number) =>
    carried(
      packPartsTracked([...lines.slice(0, shown), `… +${lines.length - shown}`], maxBytes, '\n'),
      (index) => (index < shown ? [batch[index]!] : batch.slice(shown)),
    );
  let low = 1;
  let high = lines.length - 1;
  let best = pack(0);
  while (low <= high) {
    const shown = Math.floor((low + high) / 2);
    const packed = pack(shown);
    if (packed.length <= room) {
      best = packed;
      low = shown + 1;
    } else high = shown - 1;
  }
  return best;
}

function carried(
  packed: PackedMessage[],
  notificationsOf: (partIndex: number) => readonly Notification[],
): MarkdownBody[] {
  return packed.map((m) => ({ content: m.text, carries: m.ends.flatMap((i) => notificationsOf(i)) }));
}

/** Markdown bodies within `maxBytes` each and at most `room` of them (robot and app alike). */
export function markdownBodies(
  batch: readonly Notification[],
  room: number,
  maxBytes: number,
): MarkdownBody[] {
  const one = (index: number) => [batch[index]!];
  const full = carried(
    packPartsTracked(
      batch.map((n) => n.markdown),
      maxBytes,
    ),
    one,
  );
  if (full.length <= room) return full;
  const lines = batch.map(compactLine);
  const compact = carried(packPartsTracked(lines, maxBytes, '\n'), one);
  return compact.length <= room ? compact : summarised(batch, lines, room, maxBytes);
}

/**
 * The messages for `batch` when the robot may send `room` more this minute (room ≥ 1). `mentionAll` (the receiver's
 * setting) mentions everyone in the group: `@all` in the text message's mentioned_list, as markdown cannot.
 */
export function robotMessages(batch: readonly Notification[], room: number, mentionAll = false): RobotSend[] {
  const recipients = recipientsOf(batch);
  const mobiles = unique(recipients.filter((r) => !r.wecomUserId).map((r) => r.mobile));
  const textMentions = mobiles.length > 0 || mentionAll;
  const mentions = mentionsLine(recipients);
  const bodyMax = ROBOT_MARKDOWN_MAX_BYTES - (mentions ? utf8Bytes(mentions) + 2 : 0);
  const markdownRoom = textMentions && room > 1 ? room - 1 : room;
  const messages: RobotSend[] = markdownBodies(batch, markdownRoom, bodyMax).map(({ content, carries }) => ({
    message: {
      msgtype: 'markdown',
      markdown: { content: mentions ? `${content}\n\n${mentions}` : content },
    },
    carries,
  }));
  if (textMentions && messages.length < room) {
    const titles = batch.map((n) => n.title).join('\n');
    // Only a ping for people markdown cannot mention: the alerts themselves are carried by the markdown messages.
    messages.push({
      message: {
        msgtype: 'text',
        text: {
          content: utf8Prefix(titles, ROBOT_TEXT_MAX_BYTES),
          mentioned_mobile_list: mobiles,
          ...(mentionAll ? { mentioned_list: ['@all'] } : {}),
        },
      },
      carries: [],
    });
  }
  return messages;
}
