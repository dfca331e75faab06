/**
 * One log file per service, `<dir>/<service>.log`, holding the lines as the service printed them
 * (no prefix; escape sequences are taken out by the caller). A session truncates the files it
 * writes: `devlaunch logs` shows the current or last session. Files are opened on a service's
 * first output, so `up api` leaves the logs of the services it does not start alone.
 *
 * Memory stays bounded and the files stay complete: writes go out in the background, one at a
 * time per file, each at its own offset; if a slow disk lets more than QUEUE_LIMIT pile up, the
 * pile is written synchronously (a disk, unlike a terminal, always finishes a write). close()
 * writes whatever is left, so a stop loses nothing.
 *
 * write() copies the bytes (the caller reuses its buffers) into staging buffers of STAGE bytes;
 * a staging buffer comes back to a small pool once its write is done, so a flood keeps writing
 * from the same memory instead of fresh pages.
 *
 * A long line's pieces (writeHeld) are memory the caller holds anyway until the terminal has
 * taken them: they are queued as they are and do not count toward QUEUE_LIMIT, so a 50 MB line
 * is written in the background instead of synchronously, in the middle of handing it to the
 * terminal; and it is written once the terminal has it (HOLD_MS at most), so that writing 50 MB
 * to the page cache does not compete for the CPU with the terminal and its reader while every
 * other service's lines wait behind the long one. At most one such line waits per file, so
 * memory stays bounded.
 */
import { closeSync, mkdirSync, openSync, writeSync, writev, writevSync } from 'node:fs';
import { join } from 'node:path';

/** The log file of `service` in `dir`; also what `devlaunch logs` reads. */
export function logFilePath(dir: string, service: string): string {
  // Service names are validated by the manifest; this only keeps a path separator out.
  return join(dir, `${service.replace(/[^A-Za-z0-9._-]/g, '_')}.log`);
}

const QUEUE_LIMIT = 4 << 20;
/** Longest a long line (and what follows it in the same file) waits for the terminal. */
const HOLD_MS = 2000;
const STAGE = 128 << 10;
/**
 * Staging buffers kept for reuse, for all files together: as many as a busy moment needs (a
 * write in flight per file while the next ones fill up). Let go after IDLE_MS without a write.
 */
const POOL = 32;
const IDLE_MS = 2000;
/** writev takes at most IOV_MAX (1024 on Linux) buffers. */
const MAX_BUFFERS = 1024;

interface LogFile {
  /** null when the file could not even be created, or failed since. */
  fd: number | null;
  /** What waits to be written, in order: parts of staging buffers, and buffers given as kept. */
  queue: Buffer[];
  /** The staging buffers the queue and `stage` use: back to the pool once written. */
  stages: Buffer[];
  /** The staging buffer being filled; bytes from `from` to `used` are not queued yet. */
  stage: Buffer | null;
  from: number;
  used: number;
  /** Bytes waiting to be written. */
  size: number;
  /** Of `size`, the bytes of a long line given to writeHeld (not counted toward QUEUE_LIMIT). */
  held: number;
  /** Where the next write goes. */
  position: number;
  writing: boolean;
  /** Set while a long line waits for the terminal to take it: nothing is written meanwhile. */
  gate: object | null;
  idle: Array<() => void>;
}

export class LogFiles {
  readonly #dir: string;
  readonly #onError: (service: string, error: Error) => void;
  readonly #files = new Map<string, LogFile>();
  readonly #pool: Buffer[] = [];
  #poolTimer: NodeJS.Timeout | null = null;
  #dirReady = false;

  /** `onError` hears about the first failure of each file; that file is then left alone. */
  constructor(dir: string, onError: (service: string, error: Error) => void = () => {}) {
    this.#dir = dir;
    this.#onError = onError;
  }

  /**
   * Appends `bytes` to the service's log. They are copied, so the caller may reuse them at once;
   * `kept`: the caller never changes them, they are queued as they are (a long line's pieces).
   */
  write(service: string, bytes: Buffer | string, kept = false): void {
    const file = this.#files.get(service) ?? this.#open(service);
    if (file.fd === null || bytes.length === 0) return;
    const buffer = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
    if (kept || typeof bytes === 'string') {
      seal(file);
      file.queue.push(buffer);
    } else {
      let done = 0;
      while (done < buffer.length) {
        let stage = file.stage;
        if (stage === null || file.used === stage.length) {
          seal(file);
          stage = this.#pool.pop() ?? Buffer.allocUnsafeSlow(STAGE);
          file.stages.push(stage);
          file.stage = stage;
          file.from = 0;
          file.used = 0;
        }
        const size = Math.min(buffer.length - done, stage.length - file.used);
        stage.set(size === buffer.length ? buffer : buffer.subarray(done, done + size), file.used);
        file.used += size;
        done += size;
      }
    }
    file.size += buffer.length;
    const waiting = file.writing || file.gate !== null;
    if (waiting && file.size - file.held > QUEUE_LIMIT) this.#writeNow(service, file);
    else if (!file.writing) this.#writeLater(service, file);
  }

  /**
   * Appends the pieces of a long line, which the caller keeps unchanged (and in memory until the
   * terminal has taken them anyway). They are queued as they are and written in the background
   * whatever their size, once `taken` resolves (the terminal has the line) or after HOLD_MS;
   * later bytes for the same file wait behind them. If an earlier long line still waits, what
   * waits is written first, at once (so at most one long line waits per file).
   */
  writeHeld(service: string, pieces: readonly Buffer[], taken?: Promise<unknown>): void {
    const file = this.#files.get(service) ?? this.#open(service);
    if (file.fd === null) return;
    if (file.held > 0) this.#writeNow(service, file);
    seal(file);
    for (const piece of pieces) {
      if (piece.length === 0) continue;
      file.queue.push(piece);
      file.size += piece.length;
      file.held += piece.length;
    }
    if (taken !== undefined) {
      const gate = {};
      file.gate = gate;
      const open = () => {
        clearTimeout(timer);
        if (file.gate !== gate) return;
        file.gate = null;
        if (!file.writing) this.#writeLater(service, file);
      };
      const timer = setTimeout(open, HOLD_MS);
      timer.unref();
      taken.then(open, open);
    }
    if (!file.writing) this.#writeLater(service, file);
  }

  /** Writes what is pending, closes every file; resolves once all are closed. */
  async close(): Promise<void> {
    const files = [...this.#files];
    this.#files.clear();
    await Promise.all(
      files.map(async ([service, file]) => {
        if (file.writing) await new Promise<void>((resolve) => file.idle.push(resolve));
        this.#writeNow(service, file);
        if (file.fd !== null) closeSync(file.fd);
        file.fd = null;
      }),
    );
    if (this.#poolTimer !== null) clearTimeout(this.#poolTimer);
    this.#poolTimer = null;
    this.#pool.length = 0;
  }

  /** Takes what waits to be written; give the stages back with #reuse once it is written. */
  #take(file: LogFile): { buffers: Buffer[]; stages: Buffer[]; at: number; size: number } {
    seal(file);
    const buffers = file.queue;
    const stages = file.stages;
    const size = file.size;
    const at = file.position;
    // The staging buffer being filled goes with this write: the next bytes take another one.
    file.queue = [];
    file.stages = [];
    file.stage = null;
    file.from = 0;
    file.used = 0;
    file.size = 0;
    file.held = 0;
    file.gate = null;
    file.position += size;
    return { buffers, stages, at, size };
  }

  #reuse(stages: Buffer[]): void {
    for (const stage of stages) if (this.#pool.length < POOL) this.#pool.push(stage);
    if (this.#poolTimer === null) {
      this.#poolTimer = setTimeout(() => {
        this.#pool.length = 0;
      }, IDLE_MS);
      this.#poolTimer.unref();
    } else this.#poolTimer.refresh();
  }

  #writeNow(service: string, file: LogFile): void {
    if (file.fd === null || file.size === 0) return;
    const { buffers, stages, at } = this.#take(file);
    try {
      for (let from = 0, position = at; from < buffers.length; from += MAX_BUFFERS) {
        const slice = buffers.slice(from, from + MAX_BUFFERS);
        const length = byteLength(slice);
        finish(file.fd, slice, position, length, writevSync(file.fd, slice, position));
        position += length;
      }
      this.#reuse(stages);
    } catch (error) {
      this.#fail(service, file, error as Error);
    }
  }

  #writeLater(service: string, file: LogFile): void {
    if (file.fd === null || file.size === 0 || file.gate !== null) {
      for (const resolve of file.idle.splice(0)) resolve();
      return;
    }
    file.writing = true;
    const { buffers, stages, at } = this.#take(file);
    writeLater(file.fd, buffers, at, (error) => {
      file.writing = false;
      if (error === null) this.#reuse(stages);
      else this.#fail(service, file, error);
      this.#writeLater(service, file);
    });
  }

  #fail(service: string, file: LogFile, error: Error): void {
    if (file.fd === null) return;
    try {
      closeSync(file.fd);
    } catch {}
    file.fd = null;
    file.queue = [];
    file.stages = [];
    file.stage = null;
    file.from = 0;
    file.used = 0;
    file.size = 0;
    file.held = 0;
    this.#onError(service, error);
  }

  #open(service: string): LogFile {
    const file: LogFile = {
      fd: null,
      queue: [],
      stages: [],
      stage: null,
      from: 0,
      used: 0,
      size: 0,
      held: 0,
      position: 0,
      writing: false,
      gate: null,
      idle: [],
    };
    this.#files.set(service, file);
    try {
      if (!this.#dirReady) mkdirSync(this.#dir, { recursive: true });
      this.#dirReady = true;
      file.fd = openSync(logFilePath(this.#dir, service), 'w');
    } catch (error) {
      this.#onError(service, error as Error);
    }
    return file;
  }
}

/** Queues the bytes of the staging buffer not queued yet. */
function seal(file: LogFile): void {
  if (file.stage !== null && file.used > file.from) {
    file.queue.push(file.stage.subarray(file.from, file.used));
    file.from = file.used;
  }
}

function byteLength(buffers: readonly Buffer[]): number {
  let size = 0;
  for (const buffer of buffers) size += buffer.length;
  return size;
}

/**
 * Writes `buffers` at `at` in the background, at most MAX_BUFFERS per writev (never joined into
 * one copy: a long line comes in hundreds of pieces), in order; `done` once all are written.
 */
function writeLater(
  fd: number,
  buffers: Buffer[],
  at: number,
  done: (error: Error | null) => void,
): void {
  const slice = buffers.length > MAX_BUFFERS ? buffers.slice(0, MAX_BUFFERS) : buffers;
  const size = byteLength(slice);
  writev(fd, slice, at, (error, written) => {
    try {
      if (error) throw error;
      finish(fd, slice, at, size, written);
    } catch (failure) {
      done(failure as Error);
      return;
    }
    if (slice === buffers) done(null);
    else writeLater(fd, buffers.slice(MAX_BUFFERS), at + size, done);
  });
}

/** Completes a short write (rare on a regular file) synchronously, at its offset. */
function finish(fd: number, buffers: Buffer[], at: number, size: number, done: number): void {
  if (done >= size) return;
  const all = Buffer.concat(buffers);
  let written = done;
  while (written < size) written += writeSync(fd, all, written, size - written, at + written);
}
