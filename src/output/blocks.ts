/**
 * Turning a block of complete lines (raw bytes, as a service printed them) into what the
 * terminal and the log file get, without decoding UTF-8: the bytes are read as latin1, where
 * one byte is one character, so string operations move bytes and never cut a character; '\n',
 * ESC and every escape sequence are ASCII and never occur inside a multi-byte UTF-8 character.
 *
 * - terminal: each line behind the service's prefix, colours kept; a line holding nothing but
 *   escape sequences (a cursor-show, a colour reset) is passed on without prefix or newline, so
 *   it changes the terminal as the service meant and prints no empty `web |` line.
 * - log file: the lines as printed, without escape sequences; control-only lines left out.
 */

const ESC = 0x1b;
const LF = 10;
const CR = 13;
const NEWLINE = Buffer.from('\n');
/**
 * Blocks larger than this are handled as Buffer slices: V8 converts big strings to and from
 * bytes far more slowly than small ones, and a block this big holds few, long lines.
 */
const BIG = 1 << 20;
/** A line is checked for being control-only up to this length (longer ones never are). */
const CONTROL_MAX = 4096;

/** CSI (colours, cursor), OSC (titles, hyperlinks), then any other two-character escape. */
const SEQUENCE =
  '\\x1b\\[[0-?]*[ -/]*[@-~]|\\x1b\\][^\\x07\\x1b]*(?:\\x07|\\x1b\\\\)|\\x1b[ -/]*[0-~]';
const SEQUENCES = new RegExp(SEQUENCE, 'g');
const CONTROL_ONLY = new RegExp(`^(?:${SEQUENCE})+$`);
/** A control-only line in a block, with its line end, for the log. */
const CONTROL_LINES = new RegExp(`^(?:${SEQUENCE})+(?:\\r?\\n|$)`, 'gm');

/**
 * `block`: complete lines, each ending in '\n' (the last may lack it: the unterminated last line
 * at the end of a stream). Returns the prefixed text for a terminal.
 */
export function prefixBlock(block: Buffer, prefix: string): Buffer {
  if (block.length > BIG) return prefixBig(block, Buffer.from(prefix, 'latin1'));
  let text = block.toString('latin1');
  if (text.endsWith('\n')) text = text.slice(0, -1);
  if (text.includes('\r')) {
    text = text.replaceAll('\r\n', '\n');
    if (text.endsWith('\r')) text = text.slice(0, -1);
  }
  if (block.indexOf(ESC) === -1) {
    return Buffer.from(`${prefix}${text.replaceAll('\n', `\n${prefix}`)}\n`, 'latin1');
  }
  let out = '';
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const line = text.slice(start, end);
    const control = line.charCodeAt(0) === ESC && line.length <= CONTROL_MAX;
    out += control && CONTROL_ONLY.test(line) ? line : `${prefix}${line}\n`;
    start = end + 1;
  }
  return Buffer.from(out, 'latin1');
}

/**
 * prefixBlock for a block whose first line began with `head` (pieces without '\n', see
 * BlockSplitter): the pieces are passed on as they are, behind one prefix.
 */
export function prefixLong(head: readonly Buffer[], block: Buffer, prefix: string): Buffer[] {
  const pieces = [Buffer.from(prefix, 'latin1'), ...head];
  const lf = block.indexOf(LF);
  let end = lf === -1 ? block.length : lf;
  if (end > 0 && block[end - 1] === CR) end -= 1;
  else if (end === 0 && lf === 0) {
    const last = pieces[pieces.length - 1] as Buffer;
    if (last[last.length - 1] === CR) pieces[pieces.length - 1] = last.subarray(0, -1);
  }
  pieces.push(block.subarray(0, end), NEWLINE);
  if (lf !== -1 && lf + 1 < block.length) pieces.push(prefixBlock(block.subarray(lf + 1), prefix));
  return pieces;
}

/** plainBlock for a block whose first line began with `head` (see prefixLong). */
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

/** prefixBlock for a big block: the lines are sliced and joined, never turned into text. */
function prefixBig(block: Buffer, prefix: Buffer): Buffer {
  const pieces: Buffer[] = [];
  let start = 0;
  while (start < block.length) {
    const lf = block.indexOf(LF, start);
    const next = lf === -1 ? block.length : lf + 1;
    let end = lf === -1 ? block.length : lf;
    if (end > start && block[end - 1] === CR) end -= 1;
    const line = block.subarray(start, end);
    const control = line[0] === ESC && line.length <= CONTROL_MAX;
    if (control && CONTROL_ONLY.test(line.toString('latin1'))) pieces.push(line);
    else pieces.push(prefix, line, NEWLINE);
    start = next;
  }
  return Buffer.concat(pieces);
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
