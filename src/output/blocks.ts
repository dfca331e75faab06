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
    out += line.charCodeAt(0) === ESC && CONTROL_ONLY.test(line) ? line : `${prefix}${line}\n`;
    start = end + 1;
  }
  return Buffer.from(out, 'latin1');
}

/** The block for the log file: the same bytes without escape sequences, or `block` itself. */
export function plainBlock(block: Buffer): Buffer {
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
