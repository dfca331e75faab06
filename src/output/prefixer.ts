/**
 * Puts a service's prefix before each of its lines, on raw bytes: no UTF-8 decoding and
 * re-encoding, no string per line, no allocation per chunk. The prefixed lines of a chunk are
 * written into a slab (one large Buffer carved up in order) and handed on as one slice of it.
 * A block without '\r' or ESC (nearly all of a flood) takes one pass of V8's string code over its
 * bytes read as latin1 (one character per byte): that costs less per line than any loop in
 * JavaScript or native call per line. '\n', '\r' and ESC are ASCII and never occur inside a
 * multi-byte UTF-8 character, so working on bytes never cuts one.
 *
 * What a terminal gets: each line behind the prefix, colours kept, the '\r' of a CRLF dropped, a
 * last line without a newline closed with one; a line holding nothing but escape sequences (a
 * cursor-show, a colour reset) is passed on without prefix or newline, so it changes the terminal
 * as the service meant and prints no empty `web |` line.
 */
import { isControlOnly } from './blocks.js';

const ESC = 0x1b;
const LF = 10;
const CR = 13;
/**
 * Slab size. Small on purpose: a slab left behind (its last piece still being written when a new
 * one was needed) must die young, before V8 moves it to the old generation, where its memory
 * would only be freed by a full collection: with 1 MiB slabs a flood behind a slow reader grew
 * devlaunch's resident memory by tens of MB.
 */
const SLAB = 128 << 10;
/** A line is checked for being control-only up to this length (longer ones never are). */
const CONTROL_MAX = 4096;
/** A first line whose beginning (earlier chunks) is longer than this is passed on in pieces. */
const JOIN_LIMIT = 64 << 10;
/** Blocks up to this size without '\r' or ESC are prefixed as latin1 text (V8 is slower on big strings). */
const TEXT_MAX = 1 << 20;

/** A service's prefix: its bytes, and the same as latin1 text. */
export class Prefix {
  readonly bytes: Buffer;
  readonly text: string;
  /** A newline followed by the prefix, as latin1 text. */
  readonly joiner: string;

  constructor(text: string) {
    this.bytes = Buffer.from(text);
    this.text = this.bytes.toString('latin1');
    this.joiner = `\n${this.text}`;
  }
}

export class Prefixer {
  #slab: Buffer = Buffer.alloc(0);
  #used = 0;
  /** Where each line of the block being prefixed ends (reused). */
  #ends: Int32Array = new Int32Array(4096);

  /**
   * Appends to `out` the terminal form of one block of complete lines: `head` (pieces of the
   * first line printed in earlier chunks, `headLength` bytes in all) followed by `body`, which
   * ends in '\n' unless it is the unterminated last line of a stream (then it may be empty).
   */
  block(
    prefix: Prefix,
    head: readonly Buffer[],
    headLength: number,
    body: Buffer,
    out: Buffer[],
  ): void {
    let from = 0;
    if (headLength > 0) {
      const lf = body.indexOf(LF);
      from = lf === -1 ? body.length : lf + 1;
      if (headLength + from > JOIN_LIMIT) this.#longFirst(prefix, head, body, from, out);
      else {
        const first = Buffer.concat([...head, body.subarray(0, from)], headLength + from);
        this.#lines(prefix, first, 0, out);
      }
    }
    if (from < body.length) this.#lines(prefix, body, from, out);
    // The joined first line and the rest usually lie side by side in the slab: one piece.
    const n = out.length;
    if (n >= 2) {
      const a = out[n - 2] as Buffer;
      const b = out[n - 1] as Buffer;
      if (
        a.buffer === this.#slab.buffer &&
        b.buffer === a.buffer &&
        a.byteOffset + a.length === b.byteOffset
      ) {
        out.length = n - 2;
        out.push(this.#slab.subarray(a.byteOffset, b.byteOffset + b.length));
      }
    }
  }

  /** A first line too long to copy: its pieces as they are, behind one prefix. */
  #longFirst(prefix: Prefix, head: readonly Buffer[], body: Buffer, end: number, out: Buffer[]) {
    const pieces = [...head, body.subarray(0, end)];
    // The final '\n', then a '\r' before it, are dropped; either may end an earlier piece.
    if (lastByte(pieces) === LF) trimEnd(pieces);
    if (lastByte(pieces) === CR) trimEnd(pieces);
    out.push(prefix.bytes);
    for (const piece of pieces) if (piece.length > 0) out.push(piece);
    // A Buffer of its own: the sink remembers which pieces end inside a line.
    out.push(Buffer.from('\n'));
  }

  /** The lines of `block` from `from` on, prefixed, as one slice of the slab. */
  #lines(prefix: Prefix, block: Buffer, from: number, out: Buffer[]): void {
    const length = block.length - from;
    if (length <= TEXT_MAX && block.indexOf(ESC, from) === -1 && block.indexOf(CR, from) === -1) {
      const end = block[block.length - 1] === LF ? block.length - 1 : block.length;
      const text = block.toString('latin1', from, end);
      const prefixed = `${prefix.text}${text.replaceAll('\n', prefix.joiner)}\n`;
      const target = this.#reserve(prefixed.length);
      const start = this.#used;
      this.#used += target.write(prefixed, start, 'latin1');
      out.push(target.subarray(start, this.#used));
      return;
    }
    let ends = this.#ends;
    let count = 0;
    let last = from;
    for (let lf = block.indexOf(LF, from); lf !== -1; lf = block.indexOf(LF, lf + 1)) {
      if (count === ends.length) ends = this.#grow();
      ends[count++] = lf + 1;
      last = lf + 1;
    }
    const unterminated = last < block.length;
    if (unterminated) {
      if (count === ends.length) ends = this.#grow();
      ends[count++] = block.length;
    }
    const p = prefix.bytes.length;
    const bytes = prefix.bytes;
    const bound = length + count * p + (unterminated ? 1 : 0);
    const target = this.#reserve(bound);
    const start = this.#used;
    // The block goes to the end of the reserved space first; each line then moves forward to its
    // place behind its prefix. A line never moves onto bytes not yet moved (it has a prefix
    // more ahead of it than any line after it).
    const base = start + bound - length - from;
    target.set(from === 0 ? block : block.subarray(from), base + from);
    let w = start;
    let at = from;
    for (let i = 0; i < count; i++) {
      const next = ends[i] as number;
      let end = next;
      if (end > at && block[end - 1] === LF) end -= 1;
      if (end > at && block[end - 1] === CR) end -= 1;
      if (
        block[at] === ESC &&
        end - at <= CONTROL_MAX &&
        isControlOnly(block.toString('latin1', at, end))
      ) {
        target.copyWithin(w, base + at, base + end);
        w += end - at;
      } else {
        for (let j = 0; j < p; j++) target[w + j] = bytes[j] as number;
        w += p;
        target.copyWithin(w, base + at, base + end);
        w += end - at;
        target[w++] = LF;
      }
      at = next;
    }
    this.#used = w;
    if (w > start) out.push(target.subarray(start, w));
  }

  /**
   * `piece`, the last slice block() made, is no longer used by anyone (it was written out at
   * once): its slab space is used again for the next block.
   */
  release(piece: Buffer): void {
    if (piece.buffer === this.#slab.buffer && piece.byteOffset + piece.length === this.#used) {
      this.#used -= piece.length;
    }
  }

  #grow(): Int32Array {
    const more = new Int32Array(this.#ends.length * 2);
    more.set(this.#ends);
    this.#ends = more;
    return more;
  }

  /** The current slab, with at least `size` bytes free after #used. */
  #reserve(size: number): Buffer {
    if (this.#slab.length - this.#used >= size) return this.#slab;
    this.#slab = Buffer.allocUnsafeSlow(Math.max(SLAB, size));
    this.#used = 0;
    return this.#slab;
  }
}

function lastByte(pieces: Buffer[]): number | undefined {
  for (let i = pieces.length - 1; i >= 0; i--) {
    const piece = pieces[i] as Buffer;
    if (piece.length > 0) return piece[piece.length - 1];
  }
  return undefined;
}

/** Drops the last byte of the last non-empty piece. */
function trimEnd(pieces: Buffer[]): void {
  for (let i = pieces.length - 1; i >= 0; i--) {
    const piece = pieces[i] as Buffer;
    if (piece.length === 0) continue;
    pieces[i] = piece.subarray(0, piece.length - 1);
    return;
  }
}

const shared = new Prefixer();

/** The terminal form of a block of lines, `prefix` given as text (for tests and one-offs). */
export function prefixBlock(block: Buffer, prefix: string): Buffer {
  const out: Buffer[] = [];
  shared.block(new Prefix(prefix), [], 0, block, out);
  return Buffer.concat(out);
}
