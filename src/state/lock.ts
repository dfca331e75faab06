/**
 * The project lock: a second `up` of the same project must not start a second copy. The lock
 * is a file created exclusively (O_EXCL), holding its owner. An owner that is gone (checked by
 * the injected `isAlive`, which compares pid and start time, so a reused pid does not keep a
 * dead session's lock) or a lock file nobody can read is taken over.
 *
 * Taking over never writes over the lock: removing a stale lock happens only inside a short
 * critical section (`lock.takeover`, a folder, as mkdir is atomic everywhere) and only if the
 * lock still holds exactly what was judged stale; the new lock is then created with O_EXCL
 * like any other. So of several processes racing for a stale lock, one wins. A takeover
 * section left behind by a crash is cleared once it is older than a few seconds.
 */
import { mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { sleepSync, writeNewFileSync } from './atomic-write.js';
import { lockFile, stateDir } from './paths.js';

export interface LockOwner {
  pid: number;
  /** Process start time token of the owner (pid reuse guard). */
  startTime: string;
  /** When the owner's session started, ISO 8601 (for "running since ..."). */
  startedAt: string;
}

export type LockResult =
  | { acquired: true; release(): void }
  | { acquired: false; owner: LockOwner };

/** A lock file whose content is unreadable is given this long to be finished by its writer. */
const WRITING_GRACE_MS = 500;
/** A takeover section older than this was left by a crashed process. */
const TAKEOVER_STALE_MS = 5000;
/** Give up (a bug or a hostile file system, not contention) after this long. */
const GIVE_UP_MS = TAKEOVER_STALE_MS + 5000;

type Seen =
  | { kind: 'gone' }
  | { kind: 'owner'; owner: LockOwner; raw: string }
  | { kind: 'bad'; raw: string };

export function acquireLock(
  root: string,
  self: LockOwner,
  isAlive: (owner: LockOwner) => boolean,
): LockResult {
  const path = lockFile(root);
  mkdirSync(stateDir(root), { recursive: true });
  const mine = JSON.stringify({
    pid: self.pid,
    startTime: self.startTime,
    startedAt: self.startedAt,
  });
  const deadline = Date.now() + GIVE_UP_MS;
  while (Date.now() < deadline) {
    try {
      // Not flushed to disk: O_EXCL makes the lock, and after a power loss its owner is gone
      // anyway (a lock left empty is taken over like any unreadable one).
      writeNewFileSync(path, mine, false);
      return { acquired: true, release: () => release(path, self) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const seen = readLock(path);
    if (seen.kind === 'gone') continue; // released meanwhile: try again
    if (seen.kind === 'owner' && isAlive(seen.owner)) return { acquired: false, owner: seen.owner };
    if (seen.kind === 'bad' && !olderThan(path, WRITING_GRACE_MS)) {
      // Another process may be between creating the file and writing its owner.
      sleepSync(20);
      continue;
    }
    takeOver(path, seen.raw);
  }
  throw new Error(`could not acquire ${path}: it keeps changing`);
}

/** Removes the lock if it still holds `staleRaw`, inside the takeover section. */
function takeOver(path: string, staleRaw: string): void {
  const section = `${path}.takeover`;
  try {
    mkdirSync(section);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    if (olderThan(section, TAKEOVER_STALE_MS)) rmSync(section, { recursive: true, force: true });
    else sleepSync(10); // another process is taking over: see what it leaves
    return;
  }
  try {
    const now = readLock(path);
    if (now.kind !== 'gone' && now.raw === staleRaw) rmSync(path, { force: true, recursive: true });
  } finally {
    rmSync(section, { recursive: true, force: true });
  }
}

function readLock(path: string): Seen {
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'gone' };
    return { kind: 'bad', raw: '' };
  }
  const owner = parseOwner(raw);
  return owner === null ? { kind: 'bad', raw } : { kind: 'owner', owner, raw };
}

function parseOwner(raw: string): LockOwner | null {
  try {
    const data = JSON.parse(raw) as Partial<LockOwner> | null;
    if (
      typeof data?.pid === 'number' &&
      Number.isInteger(data.pid) &&
      typeof data.startTime === 'string' &&
      typeof data.startedAt === 'string'
    ) {
      return { pid: data.pid, startTime: data.startTime, startedAt: data.startedAt };
    }
  } catch {
    // not JSON
  }
  return null;
}

function olderThan(path: string, ms: number): boolean {
  try {
    return Date.now() - statSync(path).mtimeMs >= ms;
  } catch {
    return false;
  }
}

/**
 * Removes the lock of a supervisor that died without releasing it (kill -9, a crash), so that
 * nothing of its session is left in `.devlaunch/`: only while the lock still names `owner` (pid
 * and start time) and `isAlive` says that process is gone, and inside the takeover section, so
 * a lock a new session has taken meanwhile is left alone.
 */
export function releaseDeadLock(
  root: string,
  owner: Pick<LockOwner, 'pid' | 'startTime'>,
  isAlive: (owner: LockOwner) => boolean,
): void {
  const path = lockFile(root);
  const seen = readLock(path);
  if (seen.kind !== 'owner') return;
  if (seen.owner.pid !== owner.pid || seen.owner.startTime !== owner.startTime) return;
  if (!isAlive(seen.owner)) takeOver(path, seen.raw);
}

/** Removes the lock only while it is still ours: a lock taken over since then is left alone. */
function release(path: string, self: LockOwner): void {
  const seen = readLock(path);
  if (seen.kind !== 'owner') return;
  const o = seen.owner;
  if (o.pid === self.pid && o.startTime === self.startTime && o.startedAt === self.startedAt) {
    rmSync(path, { force: true });
  }
}
