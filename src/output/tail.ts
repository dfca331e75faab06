/**
 * The last lines of a service, for failure messages. Blocks are kept as bytes and decoded only
 * when asked for (a failure), so a chatty service costs no decoding; a huge block keeps only its
 * end, and a very long line is shortened when shown.
 */
import { isControlOnly } from './blocks.js';
import { blockLines } from './line-splitter.js';

const LF = 10;
/** Bytes kept of one block: enough for the last lines of any real service output. */
const KEEP_BYTES = 64 << 10;
/** A line longer than this is shown shortened. */
const SHOW_CHARS = 2000;
/** Bytes kept of a very long line: enough for SHOW_CHARS characters of any UTF-8. */
const SHOW_BYTES = 4 * SHOW_CHARS + 4;
const NEWLINE = Buffer.from('\n');

export class Tail {
  readonly #size: number;
  #blocks: { bytes: Buffer; lines: number }[] = [];
  /** Lines in #blocks after the first one. */
  #later = 0;

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
    const bytes = Buffer.from(block.subarray(Math.max(start, block.length - KEEP_BYTES)));
    if (this.#blocks.length > 0) this.#later += lines;
    this.#blocks.push({ bytes, lines });
    // The first block is not needed once the later ones hold enough lines.
    while (this.#blocks.length > 1 && this.#later >= this.#size) {
      this.#blocks.shift();
      this.#later -= this.#blocks[0]?.lines ?? 0;
    }
  }

  /** The last lines, oldest first, without control-only lines. */
  lines(): string[] {
    const all = this.#blocks.flatMap((b) => this.decode(b.bytes)).filter((l) => !isControlOnly(l));
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
