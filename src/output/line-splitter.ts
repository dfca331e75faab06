/**
 * Splits a byte stream into blocks of complete lines, built for throughput and for lines of any
 * length: one `lastIndexOf` per chunk finds where the complete lines end; those bytes are handed
 * on as they are, never copied or decoded here. The bytes after the last newline are copied and
 * kept as a list of pieces until their line completes, so a 50 MB line is copied once here, not
 * once per chunk.
 */

const LF = 10;

/** Partial lines longer than this are not reported by partial(): see there. */
export const PARTIAL_LIMIT = 4096;

/**
 * One block of complete lines: `head` holds the pieces (`headLength` bytes, no '\n') of the
 * first line that arrived in earlier chunks, `body` the rest, exactly as received, ending in
 * '\n' except at the end of the stream (the unterminated last line; `body` may then be empty).
 * `body` is the chunk as pushed (valid during the call only); `head` is the splitter's own.
 */
export type BlockListener = (head: readonly Buffer[], headLength: number, body: Buffer) => void;

/** Splits into blocks of complete lines: one callback per chunk, no per-line work at all. */
export class BlockSplitter {
  readonly #onBlock: BlockListener;
  /** Bytes of the incomplete last line, kept as a list so a long line is not re-copied per chunk. */
  #pending: Buffer[] = [];
  #pendingLength = 0;

  constructor(onBlock: BlockListener) {
    this.#onBlock = onBlock;
  }

  /**
   * `chunk` may be reused by the caller after the call: what is kept of it is copied, unless
   * `owned` (the chunk is the caller's to give away): a chunk without a newline is then kept as
   * it is.
   */
  push(chunk: Buffer, owned = false): void {
    const last = chunk.lastIndexOf(LF);
    if (last === -1) {
      this.#keep(owned ? chunk : Buffer.from(chunk));
      return;
    }
    const head = this.#pending;
    const headLength = this.#pendingLength;
    this.#pending = [];
    this.#pendingLength = 0;
    // The rest of the chunk (a line still arriving) is copied: the chunk is reused.
    if (last + 1 < chunk.length) this.#keep(Buffer.from(chunk.subarray(last + 1)));
    this.#onBlock(
      head,
      headLength,
      last + 1 === chunk.length ? chunk : chunk.subarray(0, last + 1),
    );
  }

  /** Bytes of the incomplete last line. */
  get pendingLength(): number {
    return this.#pendingLength;
  }

  /**
   * The current incomplete last line (for log readiness on a prompt printed without a newline),
   * or '' when there is none or it is longer than PARTIAL_LIMIT: re-reading a growing line on
   * every chunk would cost time quadratic in its length, so a long line is seen when complete.
   */
  partial(): string {
    if (this.#pendingLength === 0 || this.#pendingLength > PARTIAL_LIMIT) return '';
    if (this.#pending.length > 1)
      this.#pending = [Buffer.concat(this.#pending, this.#pendingLength)];
    const bytes = this.#pending[0] as Buffer;
    // A character still arriving is left out rather than shown as U+FFFD.
    return bytes.toString('utf8', 0, completeUtf8Length(bytes));
  }

  /** At end of stream: emits the partial line (if any) as a block without a final newline. */
  end(): void {
    if (this.#pendingLength === 0) return;
    const head = this.#pending;
    const headLength = this.#pendingLength;
    this.#pending = [];
    this.#pendingLength = 0;
    this.#onBlock(head, headLength, EMPTY);
  }

  #keep(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.#pending.push(bytes);
    this.#pendingLength += bytes.length;
  }
}

const EMPTY = Buffer.alloc(0);

/** The first line's pieces joined with the rest of the block, when they are few bytes. */
export function joined(head: readonly Buffer[], headLength: number, body: Buffer): Buffer {
  return headLength === 0 ? body : Buffer.concat([...head, body], headLength + body.length);
}

/** Of a line longer than LONG_LINE, line listeners see its first and last WINDOW bytes. */
const LONG_LINE = 1 << 20;
const WINDOW = 64 << 10;

/**
 * The lines of a block (see BlockSplitter), for line listeners. A line over LONG_LINE is not
 * decoded whole (that would stall every service for a 50 MB minified bundle): its first and its
 * last WINDOW bytes are reported, as two lines.
 */
export function blockText(head: readonly Buffer[], headLength: number, bytes: Buffer): string[] {
  if (headLength === 0) return blockLines(bytes);
  const lf = bytes.indexOf(LF);
  const first = lf === -1 ? bytes : bytes.subarray(0, lf + 1);
  const length = headLength + first.length;
  const rest = lf === -1 || lf + 1 === bytes.length ? [] : blockLines(bytes.subarray(lf + 1));
  const line = [...head, first];
  if (length <= LONG_LINE) return [...blockLines(Buffer.concat(line)), ...rest];
  return [...blockLines(window(line, false)), ...blockLines(window(line, true)), ...rest];
}

/** The first (or last) WINDOW bytes of a line given in pieces. */
function window(pieces: Buffer[], last: boolean): Buffer {
  const taken: Buffer[] = [];
  let got = 0;
  for (let i = 0; i < pieces.length && got < WINDOW; i++) {
    const piece = pieces[last ? pieces.length - 1 - i : i] as Buffer;
    if (last) taken.unshift(piece);
    else taken.push(piece);
    got += piece.length;
  }
  const bytes = Buffer.concat(taken);
  return last ? bytes.subarray(Math.max(0, bytes.length - WINDOW)) : bytes.subarray(0, WINDOW);
}

/** The lines of a block as text: decoded, split, each '\r' before a '\n' dropped. */
export function blockLines(bytes: Buffer): string[] {
  const end = bytes[bytes.length - 1] === LF ? bytes.length - 1 : bytes.length;
  let text = bytes.toString('utf8', 0, end);
  if (text.includes('\r')) {
    text = text.replaceAll('\r\n', '\n');
    if (text.endsWith('\r') && end < bytes.length) text = text.slice(0, -1);
  }
  return text.split('\n');
}

/** Splits a byte stream into lines. '\n' ends a line; a '\r' before it is dropped. */
export class LineSplitter {
  readonly #blocks: BlockSplitter;

  /** `onLines` is called once per push with every complete line of that chunk (never with none). */
  constructor(onLines: (lines: string[]) => void) {
    this.#blocks = new BlockSplitter((head, headLength, body) =>
      onLines(blockLines(joined(head, headLength, body))),
    );
  }

  push(chunk: Buffer): void {
    this.#blocks.push(chunk);
  }

  /** The current incomplete last line (for log readiness on partial lines). */
  partial(): string {
    return this.#blocks.partial();
  }

  /** At end of stream: emits the partial line (if any) as a line. */
  end(): void {
    this.#blocks.end();
  }
}

/** The length of `bytes` without a trailing, still incomplete UTF-8 sequence. */
export function completeUtf8Length(bytes: Buffer): number {
  const end = bytes.length;
  for (let i = end - 1; i >= 0 && i >= end - 4; i--) {
    const byte = bytes[i] as number;
    if ((byte & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead byte
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return end - i >= needed ? end : i;
  }
  return end;
}
