/**
 * The last lines of a service, for failure messages. The bytes of the last lines are copied into
 * one window per service, reused chunk after chunk, and decoded only when asked for (a failure),
 * so a chatty service costs neither decoding nor a buffer per chunk; a huge block keeps only its
 * end, and a very long line is shortened when shown.
 */
import { isControlOnly } from './blocks.js';
import { blockLines } from './line-splitter.js';

const LF = 10;
/** Bytes kept of one block: enough for the last lines of any real service output. */
const KEEP_BYTES = 64 << 10;
/** The first window's size when the first lines are shorter (small: taken from Node's buffer pool). */
const FIRST_WINDOW = 256;
/** Most bytes the window holds (older lines are let go first). */
const WINDOW_MAX = 2 * KEEP_BYTES;
/** A line longer than this is shown shortened. */
const SHOW_CHARS = 2000;
/** Bytes kept of a very long line: enough for SHOW_CHARS characters of any UTF-8. */
const SHOW_BYTES = 4 * SHOW_CHARS + 4;
const NEWLINE = Buffer.from('\n');

export class Tail {
  readonly #size: number;
  /** The last lines, as printed; grown as needed up to WINDOW_MAX. */
  #window: Buffer | null = null;
  #length = 0;

  constructor(size: number) {
    this.#size = size;
  }

  /** A block of lines (see BlockSplitter): its first line began with `head`. */
  add(head: readonly Buffer[], headLength: number, body: Buffer): void {
    if (this.#size <= 0) return;
    if (headLength === 0) {
      this.#add(body);
      return;
    }
    const lf = body.indexOf(LF);
    const end = lf === -1 ? body.length : lf + 1;
    if (headLength + end <= KEEP_BYTES) this.#add(Buffer.concat([...head, body.subarray(0, end)]));
    else this.#add(Buffer.concat([beginning(head, SHOW_BYTES), NEWLINE]));
    if (end < body.length) this.#add(body.subarray(end));
  }

  /** `block` may be reused by the caller: what is kept of it is copied. */
  #add(block: Buffer): void {
    if (block.length === 0) return;
    // Only the last lines of the block are kept (at most KEEP_BYTES of them).
    let start = block.length;
    let lines = 0;
    while (lines < this.#size && start > 0) {
      start = (start < 2 ? -1 : block.lastIndexOf(LF, start - 2)) + 1;
      lines += 1;
    }
    // The block alone holds enough lines: the earlier ones are not needed any more.
    if (lines === this.#size) this.#length = 0;
    const part = block.subarray(Math.max(start, block.length - KEEP_BYTES));
    // A stream's unterminated last line stays a line of its own.
    const separate = this.#length > 0 && this.#window?.[this.#length - 1] !== LF ? 1 : 0;
    const window = this.#room(separate + part.length);
    if (separate === 1) window[this.#length++] = LF;
    window.set(part, this.#length);
    this.#length += part.length;
  }

  /** The window, with room for `size` (at most KEEP_BYTES + 1) more bytes after #length. */
  #room(size: number): Buffer {
    const needed = this.#length + size;
    let window = this.#window;
    if (window !== null && window.length >= needed) return window;
    if (window === null || window.length < WINDOW_MAX) {
      // Grown as needed: most services print a few short lines once started, and a window of
      // 4 kB for each of them was most of what a quiet service's output kept.
      const grown = Buffer.allocUnsafe(
        Math.min(WINDOW_MAX, Math.max(needed, window === null ? FIRST_WINDOW : 2 * window.length)),
      );
      if (window !== null) window.copy(grown, 0, 0, this.#length);
      this.#window = grown;
      window = grown;
      if (window.length >= needed) return window;
    }
    // Full: the oldest lines go, the newest whole lines that leave room stay.
    const cut = window.indexOf(LF, needed - window.length);
    const from = cut === -1 || cut >= this.#length ? this.#length : cut + 1;
    window.copyWithin(0, from, this.#length);
    this.#length -= from;
    return window;
  }

  /** The last lines, oldest first, without control-only lines. */
  lines(): string[] {
    if (this.#window === null || this.#length === 0) return [];
    const all = this.decode(this.#window.subarray(0, this.#length)).filter(
      (l) => !isControlOnly(l),
    );
    return all
      .slice(Math.max(0, all.length - this.#size))
      .map((line) => (line.length > SHOW_CHARS ? `${line.slice(0, SHOW_CHARS)}…` : line));
  }

  /** The lines of a block, as text. */
  decode(block: Buffer): string[] {
    return blockLines(block);
  }
}

/** The first `max` bytes of a line given in pieces. */
function beginning(pieces: readonly Buffer[], max: number): Buffer {
  const taken: Buffer[] = [];
  let got = 0;
  for (const piece of pieces) {
    if (got >= max) break;
    taken.push(piece.subarray(0, max - got));
    got += taken[taken.length - 1]?.length ?? 0;
  }
  return Buffer.concat(taken);
}
