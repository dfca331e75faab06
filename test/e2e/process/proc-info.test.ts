import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import {
  descendantsOf,
  isSameProcess,
  listProcessEntries,
  listProcesses,
  processInfo,
  sessionMark,
} from '../../../src/process/index.js';
import { cleanupTracked, waitFor } from '../../helpers/processes.js';
import { node, startService } from './util.js';

afterEach(cleanupTracked);

describe('process identity (Linux /proc)', () => {
  it('describes a live process: parent, group, user, command line, start time', async () => {
    const before = Date.now();
    const s = await startService([node, 'server.mjs', '--flag with space'], { PORT: '0' });
    await s.waitForLine(/^LISTENING/);
    const after = Date.now();
    const info = processInfo(s.pid);
    expect(info).toMatchObject({
      pid: s.pid,
      ppid: process.pid,
      pgid: s.pid,
      uid: userInfo().uid,
      user: userInfo().username,
      command: `${node} server.mjs --flag with space`,
      startTime: s.startTime,
    });
    // Between the moments before the spawn and after its first line, give or take the rounding
    // (btime has whole seconds, starttime 10 ms ticks): right, however long the start took.
    const startedAt = Date.parse(info!.startedAt);
    expect(startedAt).toBeGreaterThanOrEqual(before - 1500);
    expect(startedAt).toBeLessThanOrEqual(after + 1500);
    expect(listProcesses().find((p) => p.pid === s.pid)).toEqual(info);
  });

  it('a reused pid is never the same process: the start time must match', async () => {
    const s = await startService([node, 'server.mjs'], { PORT: '0' });
    await s.waitForLine(/^LISTENING/);
    expect(isSameProcess({ pid: s.pid, startTime: s.startTime })).toBe(true);
    expect(isSameProcess({ pid: s.pid, startTime: String(Number(s.startTime) + 1) })).toBe(false);
    expect(isSameProcess({ pid: s.pid, startTime: '' })).toBe(false);
    process.kill(s.pid, 'SIGKILL');
    await s.exited;
    expect(isSameProcess({ pid: s.pid, startTime: s.startTime })).toBe(false);
    expect(processInfo(s.pid)).toBeNull();
  });

  it('zombies count as gone', async () => {
    // `sleep 0` becomes a child of the exec'd `sleep 300`, which never reaps it.
    const s = await startService('sleep 0 & exec sleep 300');
    const zombie = await waitFor(() => zombieChildOf(s.pid), {
      what: 'the unreaped sleep 0 to become a zombie',
    });
    expect(processInfo(zombie)).toBeNull();
    expect(listProcesses().some((p) => p.pid === zombie)).toBe(false);
    expect(listProcessEntries().some((p) => p.pid === zombie)).toBe(false);
    expect(descendantsOf(s.pid).some((p) => p.pid === zombie)).toBe(false);
    expect(isSameProcess({ pid: zombie, startTime: '0' })).toBe(false);
  });

  it('descendantsOf follows parent pids transitively, from one table', async () => {
    const s = await startService([node, 'spawn-grandchild.mjs']);
    await s.waitForLine(/^TREE READY$/);
    const [, child] = await s.waitForLine(/^CHILD (\d+)$/);
    const [, grandchild] = await s.waitForLine(/^GRANDCHILD (\d+)$/);
    const table = listProcesses();
    expect(
      descendantsOf(s.pid, table)
        .map((p) => p.pid)
        .sort(),
    ).toEqual([Number(child), Number(grandchild)].sort());
    expect(descendantsOf(Number(grandchild), table)).toEqual([]);
    // The light table (what walking a tree needs) gives the same tree.
    expect(
      descendantsOf(s.pid, listProcessEntries())
        .map((p) => p.pid)
        .sort(),
    ).toEqual([Number(child), Number(grandchild)].sort());
  });

  it('reads the session mark a process was started with', async () => {
    const s = await startService([node, 'server.mjs'], { PORT: '0' });
    await s.waitForLine(/^LISTENING/);
    expect(sessionMark(s.pid)).toBe(s.session);
    expect(sessionMark(2 ** 22 + 1)).toBeNull(); // above pid_max: never exists
  });
});

/** A zombie child of `ppid`, from /proc/PID/task/PID/children. */
function zombieChildOf(ppid: number): number | false {
  const children = readFileSync(`/proc/${ppid}/task/${ppid}/children`, 'utf8').split(' ');
  for (const c of children.filter((c) => c.trim() !== '')) {
    const stat = readFileSync(`/proc/${c}/stat`, 'utf8');
    if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return Number(c);
  }
  return false;
}
