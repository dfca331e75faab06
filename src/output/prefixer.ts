/**
 * Puts a service's prefix before each of its lines, on raw bytes: no UTF-8 decoding and
 * re-encoding. A block goes through a small WebAssembly routine (flood.ts) that copies 16 bytes
 * at a time and makes no garbage; where WebAssembly is off (`node --jitless`), or for a block
 * larger than the routine's input (256 KiB, never one read), it is prefixed line by line here.
 * The prefixed lines of a chunk are written into a slab (a 512 KiB buffer carved up in order)
 * and handed on as one slice of it; slabs come back through release() once the
 * destination has taken their bytes, and are used again, so a flood keeps touching the same
 * memory instead of fresh pages. '\n', '\r' and ESC are ASCII and never occur inside a
 * multi-byte UTF-8 character, so working on bytes never cuts one.
 *
 * What a terminal gets: each line behind the prefix, colours kept, the '\r' of a CRLF dropped, a
 * last line without a newline closed with one; a line holding nothing but escape sequences (a
 * cursor-show, a colour reset) is passed on without prefix or newline, so it changes the terminal
 * as the service meant and prints no empty `web |` line.
 */
import { isControlOnly, JOIN_LIMIT } from './blocks.js';
import { flood } from './flood.js';

const ESC = 0x1b;
const LF = 10;
const CR = 13;
/** Slab size: the prefixed lines of one read (up to 256 KiB) fit, usually those of two. */
const SLAB = 512 << 10;
/**
 * Released slabs kept for reuse: enough for the output held in memory for a slow reader (4 MiB,
 * sink.ts) and the slab being filled, so a flood behind a busy reader keeps writing into the
 * same memory instead of fresh pages (a page fault per 4 KiB). Let go after IDLE_MS without a
 * slab taken: an idle session keeps none of it.
 */
const POOL = 12;
const IDLE_MS = 2000;
/**
 * The typed-array methods used per line, called directly: looked up on the slab per line, they
 * cost a generic property load each in the optimised code (measured: three per line).
 */
const typedSet = Uint8Array.prototype.set;
const typedCopyWithin = Uint8Array.prototype.copyWithin;
/** A line is checked for being control-only up to this length (longer ones never are). */
const CONTROL_MAX = 4096;

/** A service's prefix, as the bytes put before each of its lines. */
export class Prefix {
  readonly bytes: Buffer;

  constructor(text: string) {
    this.bytes = Buffer.from(text);
  }
}

/** A slab no longer written into: how many of its pieces are still out. */
interface Retired {
  slab: Buffer;
  refs: number;
}

export class Prefixer {
  #slab: Buffer | null = null;
  #used = 0;
  /** Pieces of the current slab handed out and not released yet. */
  #refs = 0;
  readonly #retired = new WeakMap<ArrayBufferLike, Retired>();
  readonly #pool: Buffer[] = [];
  #poolTimer: NodeJS.Timeout | null = null;
  /** Where each line of the block being prefixed ends (reused). */
  #ends: Int32Array = new Int32Array(4096);
  readonly #useFlood: boolean;

  /** `flood: false` prefixes every block line by line (tests compare both paths). */
  constructor(opts: { flood?: boolean } = {}) {
    this.#useFlood = opts.flood ?? true;
  }

  /**
   * Appends to `out` the terminal form of one block of complete lines: `head` (pieces of the
   * first line printed in earlier chunks, `headLength` bytes in all) followed by `body`, which
   * ends in '\n' unless it is the unterminated last line of a stream (then it may be empty).
   * `body` may be reused by the caller afterwards: every piece appended is a copy, or one of
   * `head` (kept as they are), or the prefix. Pieces of a slab are to be given back, each once,
   * through release() when the destination no longer needs them.
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
    if (n >= 2 && this.#slab !== null) {
      const a = out[n - 2] as Buffer;
      const b = out[n - 1] as Buffer;
      if (
        a.buffer === this.#slab.buffer &&
        b.buffer === a.buffer &&
        a.byteOffset + a.length === b.byteOffset
      ) {
        out.length = n - 2;
        out.push(this.#slab.subarray(a.byteOffset, b.byteOffset + b.length));
        this.#refs -= 1;
      }
    }
  }

  /**
   * `piece`, made by block(), is no longer used by anyone (the destination took its bytes, or
   * they were copied elsewhere): its slab is used again once all of its pieces are back. Any
   * other buffer is ignored.
   */
  release(piece: Buffer): void {
    const memory = piece.buffer;
    if (this.#slab !== null && memory === this.#slab.buffer) {
      this.#refs -= 1;
      // Nothing of the current slab is out any more: start again at its beginning.
      if (this.#refs === 0) this.#used = 0;
      return;
    }
    const retired = this.#retired.get(memory);
    if (retired === undefined) return;
    retired.refs -= 1;
    if (retired.refs === 0) {
      this.#retired.delete(memory);
      this.#keep(retired.slab);
    }
  }

  /** A slab nobody uses any more: into the pool if it is a regular one and there is room. */
  #keep(slab: Buffer): void {
    if (slab.length !== SLAB || this.#pool.length >= POOL) return;
    this.#pool.push(slab);
    if (this.#poolTimer === null) {
      this.#poolTimer = setTimeout(() => {
        this.#poolTimer = null;
        this.#pool.length = 0;
      }, IDLE_MS);
      this.#poolTimer.unref();
    }
  }

  /** A first line too long to copy whole: its pieces, behind one prefix. */
  #longFirst(prefix: Prefix, head: readonly Buffer[], body: Buffer, end: number, out: Buffer[]) {
    // The earlier pieces are the splitter's own; the part in `body` is copied (it is reused).
    const pieces = [...head];
    if (end > 0) {
      const target = this.#reserve(end);
      const start = this.#used;
      target.set(body.subarray(0, end), start);
      this.#used += end;
      this.#refs += 1;
      pieces.push(target.subarray(start, this.#used));
    }
    // The final '\n', then a '\r' before it, are dropped; either may end an earlier piece.
    if (lastByte(pieces) === LF) trimEnd(pieces);
    if (lastByte(pieces) === CR) trimEnd(pieces);
    out.push(prefix.bytes);
    for (const piece of pieces) {
      if (piece.length > 0) out.push(piece);
      else this.release(piece); // a copy trimmed to nothing is back at once
    }
    // A Buffer of its own: the sink remembers which pieces end inside a line.
    out.push(Buffer.from('\n'));
  }

  /** The lines of `block` from `from` on, prefixed, as one slice of the slab. */
  #lines(prefix: Prefix, block: Buffer, from: number, out: Buffer[]): void {
    const routine = this.#useFlood ? flood() : null;
    if (routine !== null && prefix.bytes.length <= routine.prefixMax) {
      const first = out.length;
      const onPart = (memory: Buffer, start: number, end: number) =>
        this.#put(memory, start, end, out, first);
      if (routine.lines(prefix.bytes, block, from, onPart)) return;
    }
    const length = block.length - from;
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
    const bytes = prefix.bytes;
    const p = bytes.length;
    const bound = length + count * p + (unterminated ? 1 : 0);
    const target = this.#reserve(bound);
    const start = this.#used;
    // The block goes to the end of the reserved space first (one copy); each line then moves
    // forward to its place behind its prefix. A line never moves onto bytes not yet moved (it
    // has a prefix more ahead of it than any line after it).
    const base = start + bound - length - from;
    target.set(from === 0 ? block : block.subarray(from), base + from);
    let w = start;
    let at = from;
    for (let i = 0; i < count; i++) {
      const next = ends[i] as number;
      let end = next;
      if (block[end - 1] === LF) end -= 1;
      if (end > at && block[end - 1] === CR) end -= 1;
      if (
        block[at] === ESC &&
        end - at <= CONTROL_MAX &&
        isControlOnly(block.toString('latin1', at, end))
      ) {
        typedCopyWithin.call(target, w, base + at, base + end);
        w += end - at;
      } else {
        typedSet.call(target, bytes, w);
        w += p;
        typedCopyWithin.call(target, w, base + at, base + end);
        w += end - at;
        target[w++] = LF;
      }
      at = next;
    }
    this.#used = w;
    if (w > start) {
      this.#refs += 1;
      out.push(target.subarray(start, w));
    }
  }

  /**
   * Copies `source[start, end)` into the slab, and onto `out`: joined to the piece `out` ends
   * with when that piece (one of this block's, from `first` on) ends where the copy begins.
   */
  #put(source: Uint8Array, start: number, end: number, out: Buffer[], first: number): void {
    const length = end - start;
    const target = this.#reserve(length);
    const at = this.#used;
    typedSet.call(target, source.subarray(start, end), at);
    this.#used = at + length;
    const n = out.length;
    const last = n > first ? (out[n - 1] as Buffer) : undefined;
    if (
      last !== undefined &&
      last.buffer === target.buffer &&
      last.byteOffset + last.length === target.byteOffset + at
    ) {
      out[n - 1] = target.subarray(last.byteOffset - target.byteOffset, this.#used);
    } else {
      this.#refs += 1;
      out.push(target.subarray(at, this.#used));
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
    const current = this.#slab;
    if (current !== null && current.length - this.#used >= size) return current;
    if (current !== null && this.#refs > 0)
      this.#retired.set(current.buffer, { slab: current, refs: this.#refs });
    else if (current !== null) this.#keep(current);
    const pooled = size <= SLAB ? this.#pool.pop() : undefined;
    this.#poolTimer?.refresh();
    this.#slab = pooled ?? Buffer.allocUnsafeSlow(Math.max(SLAB, size));
    this.#used = 0;
    this.#refs = 0;
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
