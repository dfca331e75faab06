/**
 * Escape sequences in a block of complete lines (raw bytes, as a service printed them), without
 * decoding UTF-8: the bytes are read as latin1, where one byte is one character, so string
 * operations move bytes and never cut a character; '\n', ESC and every escape sequence are ASCII
 * and never occur inside a multi-byte UTF-8 character. The log file gets the lines as printed,
 * without escape sequences, control-only lines left out. (The terminal's form: prefixer.ts.)
 */

const ESC = 0x1b;
const LF = 10;
/** Blocks larger than this are stripped in pieces of whole lines (V8 handles big strings slowly). */
const BIG = 1 << 20;

/** CSI (colours, cursor), OSC (titles, hyperlinks), then any other two-character escape. */
const SEQUENCE =
  '\\x1b\\[[0-?]*[ -/]*[@-~]|\\x1b\\][^\\x07\\x1b]*(?:\\x07|\\x1b\\\\)|\\x1b[ -/]*[0-~]';
const SEQUENCES = new RegExp(SEQUENCE, 'g');
const CONTROL_ONLY = new RegExp(`^(?:${SEQUENCE})+$`);
/** A control-only line in a block, with its line end, for the log. */
const CONTROL_LINES = new RegExp(`^(?:${SEQUENCE})+(?:\\r?\\n|$)`, 'gm');

/** A first line whose beginning is longer than this is stripped in its pieces, not joined. */
export const JOIN_LIMIT = 64 << 10;

/**
 * Appends to `out` the log file's form of a block of lines (see BlockSplitter): the same bytes
 * without escape sequences, control-only lines left out. Without escape sequences, the very
 * pieces given (nothing copied). Returns how many of the pieces appended first are a long first
 * line's own: its pieces from earlier chunks (`head`), as they are or without their escape
 * sequences, never changed afterwards; 0 when that line's beginning is short (joined, copied).
 */
export function plainPieces(
  head: readonly Buffer[],
  headLength: number,
  body: Buffer,
  out: Buffer[],
): number {
  let plain = body.indexOf(ESC) === -1;
  for (let i = 0; plain && i < head.length; i++) plain = (head[i] as Buffer).indexOf(ESC) === -1;
  if (plain) {
    for (const piece of head) out.push(piece);
    if (body.length > 0) out.push(body);
    return headLength > JOIN_LIMIT ? head.length : 0;
  }
  if (headLength === 0) out.push(plainBlock(body));
  else if (headLength > JOIN_LIMIT) {
    out.push(...plainLong(head, body));
    return head.length;
  } else out.push(plainBlock(Buffer.concat([...head, body], headLength + body.length)));
  return 0;
}

/** plainBlock for a block whose first line began with `head`, pieces of a long line. */
export function plainLong(head: readonly Buffer[], block: Buffer): Buffer[] {
  const lf = block.indexOf(LF);
  // The long line itself is never control-only: its sequences are taken out, nothing more.
  const pieces = [...head, lf === -1 ? block : block.subarray(0, lf + 1)].map(stripOnly);
  if (lf !== -1 && lf + 1 < block.length) pieces.push(plainBlock(block.subarray(lf + 1)));
  return pieces;
}

function stripOnly(bytes: Buffer): Buffer {
  if (bytes.indexOf(ESC) === -1) return bytes;
  return Buffer.from(bytes.toString('latin1').replace(SEQUENCES, ''), 'latin1');
}

/** The block for the log file: the same bytes without escape sequences, or `block` itself. */
export function plainBlock(block: Buffer): Buffer {
  if (block.indexOf(ESC) === -1) return block;
  if (block.length > BIG) {
    // In pieces of whole lines (see BIG); a single huge line stays one piece.
    const pieces: Buffer[] = [];
    let start = 0;
    while (start < block.length) {
      let end = block.lastIndexOf(LF, Math.min(block.length, start + BIG) - 1) + 1;
      if (end <= start) {
        const lf = block.indexOf(LF, start);
        end = lf === -1 ? block.length : lf + 1;
      }
      pieces.push(plainSmall(block.subarray(start, end)));
      start = end;
    }
    return Buffer.concat(pieces);
  }
  return plainSmall(block);
}

function plainSmall(block: Buffer): Buffer {
  if (block.indexOf(ESC) === -1) return block;
  const text = block.toString('latin1').replace(CONTROL_LINES, '').replace(SEQUENCES, '');
  return Buffer.from(text, 'latin1');
}

/** Whether `line` (text) holds only escape sequences. */
export function isControlOnly(line: string): boolean {
  return line !== '' && CONTROL_ONLY.test(line);
}

/** `text` without escape sequences. */
export function stripSequences(text: string): string {
  return text.indexOf('\u001b') === -1 ? text : text.replace(SEQUENCES, '');
}
