/**
 * Writes that a crash can never leave half done: the content goes to a temp file in the same
 * folder (so the rename stays on one filesystem), is flushed to disk, and then replaces the
 * target in one rename. A reader sees the old file or the new one, never a mix.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Blocks the thread for `ms` (short waits in synchronous code only). */
export function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * A temp name beside `file`, unique to this process and call. Ends in `.tmp`. The random part
 * comes from the Web Crypto global, which Node loads only when first used: `status` with
 * nothing running loads this module but writes nothing, and node:crypto costs ≈ 190 page faults.
 */
export function tempPathFor(file: string): string {
  const random = Buffer.from(crypto.getRandomValues(new Uint8Array(4))).toString('hex');
  const unique = `${process.pid}.${random}`;
  return join(dirname(file), `.${basename(file)}.${unique}.tmp`);
}

/**
 * Writes `data` to a new file and (when `durable`) flushes it; fails if `path` exists.
 * `mode`: the new file's permissions (before the umask). Default 0o666.
 */
export function writeNewFileSync(path: string, data: string, durable = true, mode = 0o666): void {
  const fd = openSync(path, 'wx', mode);
  try {
    writeSync(fd, data);
    if (durable) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Replaces `file` with `data` atomically, creating its folder when needed. The rename alone
 * makes the write atomic for any crash of devlaunch; `durable` (default true) also flushes it
 * to disk, which only matters if the machine itself loses power.
 */
export function writeFileAtomic(
  file: string,
  data: string,
  /** `mode`: the new file's permissions (before the umask). Default 0o666. */
  options: { durable?: boolean; mode?: number } = {},
): void {
  const durable = options.durable ?? true;
  mkdirSync(dirname(file), { recursive: true });
  const temp = tempPathFor(file);
  try {
    writeNewFileSync(temp, data, durable, options.mode);
    renameWithRetry(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  if (durable) syncDir(dirname(file));
}

/**
 * Windows refuses to replace a file another process has open at that instant (a reader, an
 * indexer, an antivirus scan) with EPERM/EACCES/EBUSY; such holds are brief, so try again.
 */
export function renameWithRetry(from: string, to: string): void {
  for (let attempt = 0; ; attempt++) {
    try {
      renameSync(from, to);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const transient = code === 'EPERM' || code === 'EACCES' || code === 'EBUSY';
      if (!transient || attempt >= 10) throw error;
      sleepSync(10 * (attempt + 1));
    }
  }
}

/** Flushes the rename itself to disk (POSIX); folders cannot be opened this way on Windows. */
function syncDir(dir: string): void {
  if (process.platform === 'win32') return;
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some filesystems refuse fsync on a folder; the rename is still atomic there.
  }
}
