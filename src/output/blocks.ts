/**
 * Escape sequences in a block of complete lines (raw bytes, as a service printed them), without
 * decoding UTF-8: the bytes are read as latin1, where one byte is one character, so string
 * operations move bytes and never cut a character; '\n', ESC and every escape sequence are ASCII
 * and never occur inside a multi-byte UTF-8 character. The log file gets the lines as printed,
 * without escape sequences, control-only lines left out. (The terminal's form: prefixer.ts.)
 */

import { flood } from './flood.js';

const ESC = 0x1b;
const LF = 10;
/** Blocks larger than this are stripped in pieces of whole lines (V8 handles big strings slowly). */
const BIG = 1 << 20;

/** CSI (colours, cursor), OSC (titles, hyperlinks), then any other two-character escape. */
const SEQUENCE =
  '\\x1b\\[[0-?]*[ -/]*[@-~]|\\x1b\\][^\\x07\\x1b]*(?:\\x07|\\x1b\\\\)|\\x1b[ -/]*[0-~]';
const SEQUENCES = new RegExp(SEQUENCE, 'g');
const CONTROL_ONLY = new RegExp(`^(?:${SEQUENCE})+$`);

/** A first line whose beginning is longer than this is stripped in its pieces, not joined. */
const JOIN_LIMIT = 64 << 10;

/**
 * Appends to `out` the log file's form of a block of lines (see BlockSplitter): the same bytes
 * without escape sequences, control-only lines left out. Without escape sequences, the very
 * pieces given (nothing copied). A piece is valid during the call only when it lies in `body`'s
 * memory or in the flood routines' (see transient()); any other piece may be kept.
 */
export function plainPieces(
  head: readonly Buffer[],
  headLength: number,
  body: Buffer,
  out: Buffer[],
): void {
  let plain = body.indexOf(ESC) === -1;
  for (let i = 0; plain && i < head.length; i++) plain = (head[i] as Buffer).indexOf(ESC) === -1;
  if (plain) {
    for (const piece of head) out.push(piece);
    if (body.length > 0) out.push(body);
  } else if (headLength === 0) out.push(plainBlock(body));
  else if (headLength > JOIN_LIMIT) out.push(...plainLong(head, body));
  else {
    // The first line, then the rest: each fits the flood routines' input.
    const lf = body.indexOf(LF);
    const end = lf === -1 ? body.length : lf + 1;
    const first = plainBlock(Buffer.concat([...head, body.subarray(0, end)], headLength + end));
    out.push(transient(first, body) ? Buffer.from(first) : first);
    if (end < body.length) out.push(plainBlock(body.subarray(end)));
  }
}

/** Whether `piece`, made by plainPieces() for `body`, is valid during that call only. */
export function transient(piece: Buffer, body: Buffer): boolean {
  return piece.buffer === body.buffer || flood()?.holds(piece) === true;
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

/**
 * The block for the log file: the same bytes without escape sequences, control-only lines left
 * out, or `block` itself. The flood routines (flood.ts) do it when they can, their result valid
 * until their next call; `useFlood: false` always takes the JavaScript way (tests compare both).
 */
export function plainBlock(block: Buffer, useFlood = true): Buffer {
  if (block.indexOf(ESC) === -1) return block;
  const fast = useFlood ? flood()?.plain(block) : null;
  if (fast !== null && fast !== undefined) return fast;
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

/**
 * Line by line, as the flood routine does it: a line whose text (without the '\r' before its
 * newline) is escape sequences only is left out with its newline; the sequences of any other
 * line are taken out up to its newline.
 */
function plainSmall(block: Buffer): Buffer {
  if (block.indexOf(ESC) === -1) return block;
  const text = block.toString('latin1');
  let plain = '';
  for (let at = 0; at < text.length; ) {
    const lf = text.indexOf('\n', at);
    const nl = lf === -1 ? text.length : lf;
    const end = nl > at && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
    if (text.charCodeAt(at) !== ESC || !isControlOnly(text.slice(at, end))) {
      plain += text.slice(at, nl).replace(SEQUENCES, '');
      if (lf !== -1) plain += '\n';
    }
    at = nl + 1;
  }
  return Buffer.from(plain, 'latin1');
}

/** Whether `line` (text) holds only escape sequences. */
export function isControlOnly(line: string): boolean {
  return line !== '' && CONTROL_ONLY.test(line);
}

/** `text` without escape sequences. */
export function stripSequences(text: string): string {
  return text.indexOf('\u001b') === -1 ? text : text.replace(SEQUENCES, '');
}
