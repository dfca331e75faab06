import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  acquireLock,
  type LockOwner,
  lockFile,
  releaseDeadLock,
  stateDir,
} from '../../../src/state/index.js';
import { useTempRoot } from './temp-root.js';

const root = useTempRoot();

const me: LockOwner = { pid: 100, startTime: '1000', startedAt: '2024-05-01T10:00:00.000Z' };
const other: LockOwner = { pid: 200, startTime: '2000', startedAt: '2024-05-01T09:00:00.000Z' };
const alive = () => true;
const dead = () => false;

function writeLock(content: string, ageMs = 60_000): void {
  const path = lockFile(root());
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  const then = new Date(Date.now() - ageMs);
  utimesSync(path, then, then);
}

const lockContent = () => JSON.parse(readFileSync(lockFile(root()), 'utf8'));

describe('acquireLock', () => {
  it('creates the lock holding its owner', () => {
    const result = acquireLock(root(), me, alive);
    expect(result.acquired).toBe(true);
    expect(lockContent()).toEqual(me);
  });

  it('refuses while a live owner holds it, and says who', () => {
    const first = acquireLock(root(), other, alive);
    expect(first.acquired).toBe(true);
    const seen: LockOwner[] = [];
    const second = acquireLock(root(), me, (o) => {
      seen.push(o);
      return true;
    });
    expect(second).toEqual({ acquired: false, owner: other });
    expect(seen).toEqual([other]);
    expect(lockContent()).toEqual(other);
  });

  it('takes over the lock of an owner that is gone', () => {
    writeLock(JSON.stringify(other));
    const result = acquireLock(root(), me, (o) => o.pid !== other.pid);
    expect(result.acquired).toBe(true);
    expect(lockContent()).toEqual(me);
    expect(readdirSync(stateDir(root()))).toEqual(['lock']);
  });

  it.each([
    ['garbage', 'not json'],
    ['a partial owner', '{"pid": 5}'],
    ['an empty file', ''],
  ])('takes over a lock holding %s', (_what, content) => {
    writeLock(content);
    const result = acquireLock(root(), me, alive);
    expect(result.acquired).toBe(true);
    expect(lockContent()).toEqual(me);
  });

  it('waits for a lock file that is being written before judging it', () => {
    writeLock('', 0);
    const start = Date.now();
    const result = acquireLock(root(), me, alive);
    // Still empty after the grace: its writer is gone, so it is taken over.
    expect(result.acquired).toBe(true);
    expect(Date.now() - start).toBeGreaterThanOrEqual(300);
  });

  it('can be acquired again after release', () => {
    const first = acquireLock(root(), other, alive);
    if (!first.acquired) throw new Error('expected the lock');
    first.release();
    expect(existsSync(lockFile(root()))).toBe(false);
    expect(acquireLock(root(), me, alive).acquired).toBe(true);
  });

  it('release leaves alone a lock that was taken over since', () => {
    const first = acquireLock(root(), other, alive);
    if (!first.acquired) throw new Error('expected the lock');
    const second = acquireLock(root(), me, dead);
    expect(second.acquired).toBe(true);
    first.release();
    expect(lockContent()).toEqual(me);
  });

  it('release is harmless when the lock is already gone or twice', () => {
    const first = acquireLock(root(), me, alive);
    if (!first.acquired) throw new Error('expected the lock');
    first.release();
    expect(() => first.release()).not.toThrow();
  });
});

describe('acquireLock: takeover section', () => {
  const section = () => `${lockFile(root())}.takeover`;

  it('clears a takeover section left by a crash', () => {
    writeLock(JSON.stringify(other));
    mkdirSync(section());
    const then = new Date(Date.now() - 60_000);
    utimesSync(section(), then, then);
    expect(acquireLock(root(), me, dead).acquired).toBe(true);
    expect(existsSync(section())).toBe(false);
  });

  it('does not take over while another process is inside its takeover section', () => {
    writeLock(JSON.stringify(other));
    mkdirSync(section());
    // The other process finishes its takeover and wins while we wait for the section.
    let calls = 0;
    const result = acquireLock(root(), me, (o) => {
      calls += 1;
      if (calls === 3) {
        writeFileSync(lockFile(root()), JSON.stringify({ ...other, pid: 300 }));
        rmSync(section(), { recursive: true });
      }
      return o.pid === 300;
    });
    expect(result).toEqual({ acquired: false, owner: { ...other, pid: 300 } });
  });
});

describe('releaseDeadLock (a session whose supervisor died, cleared by down)', () => {
  it('removes the lock of that supervisor once it is gone', () => {
    writeLock(JSON.stringify(other));
    releaseDeadLock(root(), other, dead);
    expect(existsSync(lockFile(root()))).toBe(false);
  });

  it('leaves the lock while its owner still runs', () => {
    writeLock(JSON.stringify(other));
    releaseDeadLock(root(), other, alive);
    expect(lockContent()).toEqual(other);
  });

  it('leaves a lock another session holds now, even one judged gone', () => {
    writeLock(JSON.stringify(me));
    releaseDeadLock(root(), other, dead);
    expect(lockContent()).toEqual(me);
    // Same pid, another start time: a reused pid is someone else.
    releaseDeadLock(root(), { pid: me.pid, startTime: '999' }, dead);
    expect(lockContent()).toEqual(me);
  });

  it('is harmless without a lock or with an unreadable one', () => {
    releaseDeadLock(root(), other, dead);
    writeLock('{"pid":');
    releaseDeadLock(root(), other, dead);
    expect(readFileSync(lockFile(root()), 'utf8')).toBe('{"pid":');
  });
});
