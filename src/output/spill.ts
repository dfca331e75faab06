/**
 * A spill file: output a slow reader has not taken yet, kept on disk in order instead of in
 * memory. Appended at the end, read back from the front; once everything was read back the file
 * is emptied and starts over. Created on first use; on POSIX it is unlinked as soon as it is
 * open, so nothing is left behind even if devlaunch is killed.
 *
 * Reads and writes are synchronous: they go to the page cache, take microseconds per MB, and
 * keep the order trivially right.
 */
import {
  closeSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';

export class SpillFile {
  readonly #dir: string;
  readonly #name: string;
  #fd: number | null = null;
  #path: string | null = null;
  /** Next byte to read back, and the end of what was written. */
  #readAt = 0;
  #writeAt = 0;
  /** Bytes ever spilled, for statistics. */
  total = 0;

  constructor(dir: string, name: string) {
    this.#dir = dir;
    this.#name = name;
  }

  /** Bytes written and not read back yet. */
  get pending(): number {
    return this.#writeAt - this.#readAt;
  }

  append(bytes: Buffer): void {
    const fd = this.#open();
    if (this.pending === 0 && this.#writeAt > 0) {
      // Everything was read back: start over at the front so the file does not grow forever.
      this.#readAt = 0;
      this.#writeAt = 0;
      ftruncateSync(fd, 0);
    }
    let done = 0;
    while (done < bytes.length) {
      done += writeSync(fd, bytes, done, bytes.length - done, this.#writeAt + done);
    }
    this.#writeAt += bytes.length;
    this.total += bytes.length;
  }

  /** Reads back from the front as many bytes as `into` holds (or fewer); returns them. */
  read(into: Buffer): Buffer {
    const size = Math.min(into.length, this.pending);
    if (size === 0 || this.#fd === null) return Buffer.alloc(0);
    let got = 0;
    while (got < size) {
      const n = readSync(this.#fd, into, got, size - got, this.#readAt + got);
      if (n === 0) break;
      got += n;
    }
    this.#readAt += got;
    return got === into.length ? into : into.subarray(0, got);
  }

  /** Puts the last `count` bytes read back in front again (they are read again next time). */
  unread(count: number): void {
    this.#readAt -= count;
  }

  /** Drops what is pending and removes the file. */
  dispose(): void {
    if (this.#fd !== null) closeSync(this.#fd);
    if (this.#path !== null) rmSync(this.#path, { force: true });
    this.#fd = null;
    this.#path = null;
    this.#readAt = 0;
    this.#writeAt = 0;
  }

  #open(): number {
    if (this.#fd !== null) return this.#fd;
    mkdirSync(this.#dir, { recursive: true });
    const path = join(this.#dir, `.${this.#name}-${process.pid}.spill`);
    this.#fd = openSync(path, 'w+', 0o600);
    if (process.platform === 'win32') this.#path = path;
    else rmSync(path, { force: true });
    return this.#fd;
  }
}
