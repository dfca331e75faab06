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
 */
import { closeSync, mkdirSync, openSync, writeSync, writev, writevSync } from 'node:fs';
import { join } from 'node:path';

/** The log file of `service` in `dir`; also what `devlaunch logs` reads. */
export function logFilePath(dir: string, service: string): string {
  // Service names are validated by the manifest; this only keeps a path separator out.
  return join(dir, `${service.replace(/[^A-Za-z0-9._-]/g, '_')}.log`);
}

const QUEUE_LIMIT = 4 << 20;
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
  /** Where the next write goes. */
  position: number;
  writing: boolean;
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
    if (!file.writing) this.#writeLater(service, file);
    else if (file.size > QUEUE_LIMIT) this.#writeNow(service, file);
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
    file.position += size;
    return {
      buffers: buffers.length > MAX_BUFFERS ? [Buffer.concat(buffers)] : buffers,
      stages,
      at,
      size,
    };
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
    const { buffers, stages, at, size } = this.#take(file);
    try {
      finish(file.fd, buffers, at, size, writevSync(file.fd, buffers, at));
      this.#reuse(stages);
    } catch (error) {
      this.#fail(service, file, error as Error);
    }
  }

  #writeLater(service: string, file: LogFile): void {
    if (file.fd === null || file.size === 0) {
      for (const resolve of file.idle.splice(0)) resolve();
      return;
    }
    file.writing = true;
    const { buffers, stages, at, size } = this.#take(file);
    const fd = file.fd;
    writev(fd, buffers, at, (error, written) => {
      file.writing = false;
      try {
        if (error) throw error;
        finish(fd, buffers, at, size, written);
        this.#reuse(stages);
      } catch (failure) {
        this.#fail(service, file, failure as Error);
      }
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
      position: 0,
      writing: false,
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

/** Completes a short write (rare on a regular file) synchronously, at its offset. */
function finish(fd: number, buffers: Buffer[], at: number, size: number, done: number): void {
  if (done >= size) return;
  const all = Buffer.concat(buffers);
  let written = done;
  while (written < size) written += writeSync(fd, all, written, size - written, at + written);
}
