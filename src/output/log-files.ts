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
 */
import { closeSync, mkdirSync, openSync, writeSync, writev, writevSync } from 'node:fs';
import { join } from 'node:path';

/** The log file of `service` in `dir`; also what `devlaunch logs` reads. */
export function logFilePath(dir: string, service: string): string {
  // Service names are validated by the manifest; this only keeps a path separator out.
  return join(dir, `${service.replace(/[^A-Za-z0-9._-]/g, '_')}.log`);
}

const QUEUE_LIMIT = 4 << 20;
/** writev takes at most IOV_MAX (1024 on Linux) buffers. */
const MAX_BUFFERS = 1024;

interface LogFile {
  /** null when the file could not even be created, or failed since. */
  fd: number | null;
  queue: Buffer[];
  /** Bytes queued, huge pieces left out (see write). */
  queued: number;
  /** Bytes queued, all of them. */
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
  #dirReady = false;

  /** `onError` hears about the first failure of each file; that file is then left alone. */
  constructor(dir: string, onError: (service: string, error: Error) => void = () => {}) {
    this.#dir = dir;
    this.#onError = onError;
  }

  write(service: string, bytes: Buffer | string): void {
    const file = this.#files.get(service) ?? this.#open(service);
    if (file.fd === null || bytes.length === 0) return;
    const buffer = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
    file.queue.push(buffer);
    // A huge piece (a 50 MB line) is already in memory: it does not count towards the limit,
    // which bounds what piles up from many writes.
    if (buffer.length <= QUEUE_LIMIT) file.queued += buffer.length;
    file.size += buffer.length;
    if (!file.writing) this.#writeLater(service, file);
    else if (file.queued > QUEUE_LIMIT) this.#writeNow(service, file);
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
  }

  #take(file: LogFile): { buffers: Buffer[]; at: number; size: number } {
    const buffers = file.queue.length > MAX_BUFFERS ? [Buffer.concat(file.queue)] : file.queue;
    const size = file.size;
    const at = file.position;
    file.queue = [];
    file.queued = 0;
    file.size = 0;
    file.position += size;
    return { buffers, at, size };
  }

  #writeNow(service: string, file: LogFile): void {
    if (file.fd === null || file.size === 0) return;
    const { buffers, at, size } = this.#take(file);
    try {
      finish(file.fd, buffers, at, size, writevSync(file.fd, buffers, at));
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
    const { buffers, at, size } = this.#take(file);
    const fd = file.fd;
    writev(fd, buffers, at, (error, written) => {
      file.writing = false;
      try {
        if (error) throw error;
        finish(fd, buffers, at, size, written);
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
    file.queued = 0;
    file.size = 0;
    this.#onError(service, error);
  }

  #open(service: string): LogFile {
    const file: LogFile = {
      fd: null,
      queue: [],
      queued: 0,
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

/** Completes a short write (rare on a regular file) synchronously, at its offset. */
function finish(fd: number, buffers: Buffer[], at: number, size: number, done: number): void {
  if (done >= size) return;
  const all = Buffer.concat(buffers);
  let written = done;
  while (written < size) written += writeSync(fd, all, written, size - written, at + written);
}
