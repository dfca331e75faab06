/**
 * One destination of devlaunch's output (its stdout or stderr), with bounded memory whatever
 * the reader does. Bytes are handed to the destination while it takes them; what it has not
 * taken waits in memory up to `memoryLimit`, and beyond that in a spill file, in order, read back
 * as the reader catches up. Nothing here ever waits for the reader: a stalled terminal or pipe
 * costs disk space, not memory, and never stops devlaunch from reading its services.
 *
 * `urgent()` is for devlaunch's own messages: while output is held back they go ahead of the
 * backlog (at a line boundary), so a failure or the stop progress shows at once.
 */
import type { Writable } from 'node:stream';
import { SpillFile } from './spill.js';

/** What the sink writes to: a Writable stream, as far as the sink needs one. */
export type Destination = Pick<Writable, 'write' | 'writableLength' | 'once' | 'on' | 'destroy'>;

export interface SinkOptions {
  dest: Destination;
  /** The destination was opened for this sink: destroy it when done. */
  owned: boolean;
  /** Directory of the spill file. */
  spillDir: string;
  /** Names the spill file (`stdout`, `stderr`). */
  name: string;
  /** Bytes kept in memory before spilling. Default 4 MiB. */
  memoryLimit?: number;
  /** Bytes handed to the destination and not yet written by it. Default 256 KiB. */
  handLimit?: number;
  /** Called once if output cannot be held back at all (the spill file cannot be written). */
  onError?: (error: Error) => void;
  /**
   * Called once for every buffer given to write(), writeAll() or writeThrough() when nothing
   * here or in the destination needs it any more (written, copied to the spill file, dropped):
   * its memory may be used again.
   */
  release?: (bytes: Buffer) => void;
}

export interface SinkStats {
  /** Most bytes held in memory at once (queued here plus handed to the destination). */
  maxMemory: number;
  /** Bytes that went through the spill file. */
  spilled: number;
  /** Bytes never shown: the spill file failed, or the reader was gone or stalled at the end. */
  dropped: number;
}

const LF = 10;
const READ_BACK = 1 << 20;

export class OutputSink {
  readonly #dest: Destination;
  readonly #owned: boolean;
  readonly #spill: SpillFile;
  readonly #memoryLimit: number;
  readonly #handLimit: number;
  readonly #onError: (error: Error) => void;
  readonly #release: (bytes: Buffer) => void;
  #queue: Buffer[] = [];
  /** Queued pieces that end inside a line (a piece of a long line). */
  readonly #openEnded = new WeakSet<Buffer>();
  #queued = 0;
  #urgent: Buffer[] = [];
  /** The bytes handed last ended inside a line (a piece of a long line read back). */
  #midLine = false;
  #waiting = false;
  #gone = false;
  #spillFailed = false;
  readonly #stats: SinkStats = { maxMemory: 0, spilled: 0, dropped: 0 };
  readonly #drained: Array<() => void> = [];
  /** Buffers the spill file is read back into, by their memory, and those free for reuse. */
  readonly #readBacks = new WeakMap<ArrayBufferLike, Buffer>();
  readonly #freeReads: Buffer[] = [];

  constructor(opts: SinkOptions) {
    this.#dest = opts.dest;
    this.#owned = opts.owned;
    this.#spill = new SpillFile(opts.spillDir, opts.name);
    this.#memoryLimit = opts.memoryLimit ?? 4 << 20;
    this.#handLimit = opts.handLimit ?? 256 << 10;
    this.#onError = opts.onError ?? (() => {});
    this.#release = opts.release ?? (() => {});
    // A reader that went away (EPIPE, a closed terminal) ends printing, not the session.
    opts.dest.on('error', () => this.drop());
  }

  /** Output in order. */
  write(bytes: Buffer): void {
    this.writeAll([bytes]);
  }

  /**
   * Output in order, the pieces kept together (nothing goes in between). When the reader keeps
   * up, even a piece bigger than the memory limit (a 50 MB line, already in memory) is handed
   * on directly; behind a slow reader, what does not fit in memory goes to the spill file.
   */
  writeAll(pieces: readonly Buffer[]): void {
    this.#accept(pieces);
    this.#pump();
  }

  /** Queues `pieces` in memory or appends them to the spill file; tells which (or neither). */
  #accept(pieces: readonly Buffer[]): 'memory' | 'spill' | null {
    let size = 0;
    for (const piece of pieces) size += piece.length;
    if (this.#gone || size === 0) {
      for (const piece of pieces) this.#release(piece);
      return null;
    }
    const idle = !this.#waiting && this.#queued === 0 && this.#spill.pending === 0;
    if (idle || (this.#spill.pending === 0 && this.#queued + size <= this.#memoryLimit)) {
      pieces.forEach((piece, i) => {
        if (piece.length === 0) {
          this.#release(piece);
          return;
        }
        this.#queue.push(piece);
        if (i < pieces.length - 1) this.#openEnded.add(piece);
      });
      this.#queued += size;
      return 'memory';
    }
    for (const piece of pieces) {
      if (piece.length > 0) this.#toSpill(piece);
      this.#release(piece);
    }
    return 'spill';
  }

  /**
   * Output in order, like write(), handed straight to the destination when nothing waits here
   * (no queueing on the way).
   */
  writeThrough(bytes: Buffer): void {
    const idle =
      !this.#gone &&
      !this.#waiting &&
      this.#queued === 0 &&
      this.#urgent.length === 0 &&
      this.#spill.pending === 0;
    if (!idle) {
      this.#accept([bytes]);
      this.#pump();
      return;
    }
    this.#hand(bytes);
    this.#handed();
  }

  /** Hands `bytes` to the destination; they are released once it has written them. */
  #hand(bytes: Buffer): void {
    this.#dest.write(bytes, () => {
      const readBack = this.#readBacks.get(bytes.buffer);
      if (readBack === undefined) this.#release(bytes);
      else if (this.#freeReads.length < 2) this.#freeReads.push(readBack);
    });
  }

  /** devlaunch's own message: in order when nothing is held back, else ahead of the backlog. */
  urgent(bytes: Buffer): void {
    if (this.#gone || bytes.length === 0) return;
    if (!this.#waiting && this.#spill.pending === 0 && this.#queued === 0) {
      this.write(bytes);
      return;
    }
    this.#urgent.push(bytes);
    this.#pump();
  }

  /** Bytes not yet taken by the reader (held here, spilled, or handed and unwritten). */
  get backlog(): number {
    if (this.#gone) return 0;
    let urgent = 0;
    for (const b of this.#urgent) urgent += b.length;
    return urgent + this.#queued + this.#spill.pending + this.#dest.writableLength;
  }

  stats(): SinkStats {
    return { ...this.#stats, spilled: this.#spill.total };
  }

  /**
   * Resolves once the reader has taken everything, or has taken nothing for `stallMs` (then the
   * rest is dropped: a reader that never reads again must not keep devlaunch from exiting).
   */
  flush(stallMs: number): Promise<void> {
    if (this.backlog === 0) return Promise.resolve();
    return new Promise((resolve) => {
      let left = this.backlog;
      let lastProgress = performance.now();
      const done = () => {
        clearInterval(timer);
        resolve();
      };
      const timer = setInterval(() => {
        const now = performance.now();
        const backlog = this.backlog;
        if (backlog === 0) return done();
        if (backlog < left) {
          left = backlog;
          lastProgress = now;
        } else if (now - lastProgress >= stallMs) {
          this.drop();
          return done();
        }
      }, 20);
      this.#drained.push(done);
    });
  }

  /** Flushes (see flush), then releases the destination if it is ours and the spill file. */
  async close(stallMs: number): Promise<void> {
    await this.flush(stallMs);
    this.#spill.dispose();
    if (this.#owned) this.#dest.destroy();
  }

  /** The reader is gone (a closed terminal): drop everything, write nothing more, ever. */
  drop(): void {
    if (this.#gone) return;
    this.#gone = true;
    this.#stats.dropped += this.#held();
    for (const piece of this.#queue) this.#release(piece);
    this.#queue = [];
    this.#queued = 0;
    this.#urgent = [];
    this.#spill.dispose();
    if (this.#owned) this.#dest.destroy();
    this.#settle();
  }

  /** Bytes held here (not yet handed to the destination). */
  #held(): number {
    let urgent = 0;
    for (const b of this.#urgent) urgent += b.length;
    return urgent + this.#queued + this.#spill.pending;
  }

  #toSpill(bytes: Buffer): void {
    if (this.#spillFailed) {
      this.#stats.dropped += bytes.length;
      return;
    }
    try {
      this.#spill.append(bytes);
    } catch (error) {
      this.#spillFailed = true;
      this.#stats.dropped += bytes.length;
      this.#onError(error as Error);
    }
  }

  #pump(): void {
    while (!this.#waiting && !this.#gone) {
      const next = this.#next();
      if (next === null) break;
      this.#hand(next);
      this.#handed();
    }
    if (!this.#waiting) this.#settle();
  }

  /** After handing bytes on: counts memory, and waits for the destination when it holds enough. */
  #handed(): void {
    const memory = this.#queued + this.#dest.writableLength;
    if (memory > this.#stats.maxMemory) this.#stats.maxMemory = memory;
    if (this.#dest.writableLength >= this.#handLimit && !this.#waiting) {
      this.#waiting = true;
      this.#dest.once('drain', () => {
        this.#waiting = false;
        this.#pump();
      });
    }
  }

  /** The next bytes to hand on, or null when nothing waits. */
  #next(): Buffer | null {
    if (!this.#midLine && this.#urgent.length > 0) return this.#urgent.shift() ?? null;
    const queued = this.#queue.shift();
    if (queued !== undefined) {
      this.#queued -= queued.length;
      this.#midLine = this.#openEnded.has(queued);
      return queued;
    }
    if (this.#spill.pending === 0) return this.#urgent.shift() ?? null;
    let piece: Buffer;
    // Sized to what is pending: a buffer the destination keeps holds no unused megabyte.
    const size = Math.min(READ_BACK, this.#spill.pending);
    let into = this.#freeReads.pop();
    if (into === undefined || into.length < size) {
      into = Buffer.allocUnsafeSlow(size);
      this.#readBacks.set(into.buffer, into);
    }
    try {
      piece = this.#spill.read(into);
    } catch (error) {
      this.#onError(error as Error);
      this.drop();
      return null;
    }
    if (piece.length === 0) {
      this.#freeReads.push(into);
      return null;
    }
    // Hand on whole lines when the piece holds any, so urgent messages can go in between.
    const end = piece.lastIndexOf(LF);
    if (end === -1 || end === piece.length - 1) {
      this.#midLine = piece[piece.length - 1] !== LF;
      return piece;
    }
    this.#spill.unread(piece.length - end - 1);
    this.#midLine = false;
    return piece.subarray(0, end + 1);
  }

  /** Tells flush() waiters when nothing is left. */
  #settle(): void {
    if (this.#drained.length === 0) return;
    if (this.#gone || this.backlog === 0) for (const resolve of this.#drained.splice(0)) resolve();
  }
}
