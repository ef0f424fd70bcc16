/**
 * Packing message parts into provider messages that have a limit in UTF-8 BYTES (WeCom robot markdown 4,096, app
 * markdown 2,048, robot text 2,048). Providers refuse a longer body (WeCom errcode 40058), and cutting a string by
 * bytes can cut a character in half, which shows as U+FFFD. So parts are merged into as few messages as fit, and a
 * part too long on its own is split at line ends where possible, otherwise between user-perceived characters
 * (grapheme clusters: an emoji with its modifiers or a ZWJ sequence stays whole).
 */

const encoder = new TextEncoder();
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

export const utf8Bytes = (text: string): number => encoder.encode(text).length;

/** The longest prefix of `text` within `maxBytes`, ending at a grapheme boundary (never mid-character). */
export function utf8Prefix(text: string, maxBytes: number): string {
  if (utf8Bytes(text) <= maxBytes) return text;
  let bytes = 0;
  let end = 0;
  for (const { segment, index } of graphemes.segment(text)) {
    const size = utf8Bytes(segment);
    if (bytes + size > maxBytes) break;
    bytes += size;
    end = index + segment.length;
  }
  return text.slice(0, end);
}

/** Splits one part that is too long into pieces within `maxBytes`, preferring line ends. */
export function splitPart(part: string, maxBytes: number): string[] {
  if (maxBytes <= 0) throw new RangeError('maxBytes must be positive');
  const pieces: string[] = [];
  let rest = part;
  while (utf8Bytes(rest) > maxBytes) {
    let piece = utf8Prefix(rest, maxBytes);
    const lineEnd = piece.lastIndexOf('\n');
    // Cutting at a line end only when it keeps at least half the room used: one very long line is cut instead.
    if (lineEnd > 0 && utf8Bytes(piece.slice(0, lineEnd)) >= maxBytes / 2) piece = piece.slice(0, lineEnd);
    if (piece.length === 0) piece = [...graphemes.segment(rest)][0]!.segment; // a single grapheme above the limit
    pieces.push(piece);
    rest = rest.slice(piece.length).replace(/^\n/, '');
  }
  if (rest.length > 0) pieces.push(rest);
  return pieces;
}

/** One packed message and the parts whose last piece it holds: what it carries in full. */
export interface PackedMessage {
  text: string;
  /** Indexes into `parts`; a part split over several messages is carried by the one holding its last piece. */
  ends: number[];
}

/**
 * Merges parts, in order, into as few messages as fit `maxBytes` each, joined by `separator`. A part longer than the
 * limit is split (its pieces follow each other). Every message is within the limit.
 */
export function packPartsTracked(
  parts: readonly string[],
  maxBytes: number,
  separator = '\n\n',
): PackedMessage[] {
  const separatorBytes = utf8Bytes(separator);
  const messages: PackedMessage[] = [];
  let current: PackedMessage | undefined;
  let currentBytes = 0;
  for (const [index, part] of parts.entries()) {
    for (const piece of splitPart(part, maxBytes)) {
      const pieceBytes = utf8Bytes(piece);
      if (current && currentBytes + separatorBytes + pieceBytes <= maxBytes) {
        current.text += separator + piece;
        currentBytes += separatorBytes + pieceBytes;
      } else {
        if (current) messages.push(current);
        current = { text: piece, ends: [] };
        currentBytes = pieceBytes;
      }
    }
    current?.ends.push(index);
  }
  if (current) messages.push(current);
  return messages;
}

export function packParts(parts: readonly string[], maxBytes: number, separator = '\n\n'): string[] {
  return packPartsTracked(parts, maxBytes, separator).map((m) => m.text);
}
