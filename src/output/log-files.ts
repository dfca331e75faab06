/**
 * One log file per service, `<dir>/<service>.log`, holding the raw lines (no prefix, no colour).
 * A session truncates the files it writes (flags 'w'): `devlaunch logs` shows the current or
 * last session. Files are opened on a service's first output, so `up api` leaves the logs of
 * the services it does not start alone. Writes never wait: a slow disk only grows a buffer.
 */
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';

/** The log file of `service` in `dir`; also what `devlaunch logs` reads. */
export function logFilePath(dir: string, service: string): string {
  // Service names are validated by the manifest; this only keeps a path separator out.
  return join(dir, `${service.replace(/[^A-Za-z0-9._-]/g, '_')}.log`);
}

interface LogFile {
  /** null when the file could not even be created. */
  stream: WriteStream | null;
  failed: boolean;
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

  write(service: string, text: string | Buffer): void {
    const file = this.#files.get(service) ?? this.#open(service);
    if (!file.failed) file.stream?.write(text);
  }

  /** Ends every file; resolves once each is flushed and closed. */
  async close(): Promise<void> {
    const files = [...this.#files.values()];
    this.#files.clear();
    await Promise.all(
      files.map(
        (file) =>
          new Promise<void>((resolve) => {
            const stream = file.stream;
            if (file.failed || stream === null || stream.closed) return resolve();
            stream.once('close', () => resolve());
            stream.end();
          }),
      ),
    );
  }

  #open(service: string): LogFile {
    let stream: WriteStream;
    try {
      if (!this.#dirReady) mkdirSync(this.#dir, { recursive: true });
      this.#dirReady = true;
      stream = createWriteStream(logFilePath(this.#dir, service), { flags: 'w' });
    } catch (error) {
      const broken: LogFile = { stream: null, failed: true };
      this.#files.set(service, broken);
      this.#onError(service, error as Error);
      return broken;
    }
    const file: LogFile = { stream, failed: false };
    // An open or write error destroys the stream (which still emits 'close'); keep the session
    // going without that file rather than crash over a log.
    stream.on('error', (error) => {
      if (file.failed) return;
      file.failed = true;
      this.#onError(service, error);
    });
    this.#files.set(service, file);
    return file;
  }
}
