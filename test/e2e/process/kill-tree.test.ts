import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  descendantsOf,
  killTreeNow,
  listProcesses,
  processInfo,
  sessionMark,
  stopTree,
} from '../../../src/process/index.js';
import { canBind, freePort } from '../../helpers/ports.js';
import { cleanupTracked, isAlive, survivors, track, waitFor } from '../../helpers/processes.js';
import { node, shellQuote, startService } from './util.js';

afterEach(cleanupTracked);

const target = (s: { pid: number; pgid: number | null; startTime: string }, session?: string) => ({
  pid: s.pid,
  pgid: s.pgid,
  startTime: s.startTime,
  ...(session === undefined ? {} : { session }),
});

describe('stopTree', () => {
  it('stops a plain server with its stop signal, no SIGKILL needed', async () => {
    const s = await startService([node, 'server.mjs'], { PORT: '0' });
    await s.waitForLine(/^LISTENING/);
    expect(await stopTree(target(s), { signal: 'SIGTERM', timeoutMs: 5000 })).toEqual({
      forced: false,
    });
    await s.waitForLine(/^STOPPING$/);
    expect(await s.exited).toEqual({ code: 0, signal: null });
    expect(survivors(s.session)).toEqual([]);
  });

  it('forces a process that ignores SIGTERM after the timeout', async () => {
    const s = await startService([node, 'ignore-term.mjs']);
    await s.waitForLine(/^READY/);
    const started = Date.now();
    expect(await stopTree(target(s), { signal: 'SIGTERM', timeoutMs: 300 })).toEqual({
      forced: true,
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    await s.waitForLine(/^IGNORED SIGTERM$/); // it did get the graceful signal first
    expect((await s.exited).signal).toBe('SIGKILL');
    expect(survivors(s.session)).toEqual([]);
  });

  it('a stopped (Ctrl+Z) service still gets its graceful signal: SIGCONT follows it', async () => {
    const s = await startService([node, 'server.mjs'], { PORT: '0' });
    await s.waitForLine(/^LISTENING/);
    process.kill(s.pid, 'SIGSTOP');
    await waitFor(() => processState(s.pid) === 'T', { what: 'the server to be stopped' });
    expect(await stopTree(target(s), { signal: 'SIGTERM', timeoutMs: 3000 })).toEqual({
      forced: false,
    });
    await s.waitForLine(/^STOPPING$/);
  });

  it('a signal this platform lacks (SIGBREAK) falls back to SIGTERM', async () => {
    const s = await startService([node, 'server.mjs'], { PORT: '0' });
    await s.waitForLine(/^LISTENING/);
    expect(await stopTree(target(s), { signal: 'SIGBREAK', timeoutMs: 3000 })).toEqual({
      forced: false,
    });
    await s.waitForLine(/^STOPPING$/);
  });

  it('force: true skips the grace', async () => {
    const s = await startService([node, 'ignore-term.mjs']);
    await s.waitForLine(/^READY/);
    // A grace far longer than the test's own timeout: the test ends only if it is skipped.
    expect(
      await stopTree(target(s), { signal: 'SIGTERM', timeoutMs: 3_600_000, force: true }),
    ).toEqual({
      forced: true,
    });
    expect(survivors(s.session)).toEqual([]);
  });

  it("stops a shell's background grandchild too (sh -c forwards no signal)", async () => {
    const port = await freePort();
    const s = await startService(`sleep 300 & exec ${shellQuote(node)} server.mjs`, {
      PORT: String(port),
    });
    await s.waitForLine(/^LISTENING/);
    const sleeper = descendantsOf(s.pid, listProcesses()).find((p) =>
      p.command.startsWith('sleep'),
    );
    expect(sleeper).toBeDefined();
    expect(await stopTree(target(s), { signal: 'SIGTERM', timeoutMs: 3000 })).toEqual({
      forced: false,
    });
    expect(isAlive(sleeper!.pid)).toBe(false);
    expect(survivors(s.session)).toEqual([]);
    // Sockets of a dead process are released a moment later (see the daemon test below).
    await waitFor(() => canBind(port), { what: 'the port to bind again' });
  });

  it('stops the server behind an npm-run-style wrapper', async () => {
    const s = await startService([node, 'wrapper.mjs'], { PORT: '0' });
    const [, child] = await s.waitForLine(/^CHILD (\d+)$/);
    await s.waitForLine(/^LISTENING/);
    expect(await stopTree(target(s), { signal: 'SIGTERM', timeoutMs: 3000 })).toEqual({
      forced: false,
    });
    expect(isAlive(Number(child))).toBe(false);
    expect(survivors(s.session)).toEqual([]);
  });

  it('stops a descendant that left the process group (found through the tree)', async () => {
    const s = await startService([node, 'wrapper.mjs'], { PORT: '0', WRAPPER_DETACH: '1' });
    const [, child] = await s.waitForLine(/^CHILD (\d+)$/);
    await s.waitForLine(/^LISTENING/);
    expect(processInfo(Number(child))?.pgid).toBe(Number(child)); // really outside the group
    await stopTree(target(s), { signal: 'SIGTERM', timeoutMs: 3000 });
    await waitFor(() => !isAlive(Number(child)), { what: 'the detached child to die' });
    expect(survivors(s.session)).toEqual([]);
  });

  it('stops a double-forked daemon through its session mark', async () => {
    const port = await freePort();
    const s = await startService([node, 'daemonize.mjs'], { PORT: String(port) });
    const [, daemonPid] = await s.waitForLine(/^DAEMON (\d+)$/);
    const daemon = Number(daemonPid);
    track(daemon);
    expect(descendantsOf(s.pid).map((p) => p.pid)).not.toContain(daemon); // escaped the tree
    expect(processInfo(daemon)?.pgid).not.toBe(s.pgid); // and the group
    expect(sessionMark(daemon)).toBe(s.session);
    await waitFor(async () => !(await canBind(port)), { what: 'the daemon to listen' });
    // Group and tree alone miss it...
    await stopTree(target(s), { signal: 'SIGTERM', timeoutMs: 3000 });
    expect(isAlive(s.pid)).toBe(false);
    expect(isAlive(daemon)).toBe(true);
    // ...the session mark finds it, even once the service's own process is gone.
    await stopTree(target(s, s.session), { signal: 'SIGTERM', timeoutMs: 3000 });
    expect(isAlive(daemon)).toBe(false);
    expect(survivors(s.session)).toEqual([]);
    // Bounded wait: Linux releases a dead process's sockets a moment after the process is
    // gone (its files are closed by deferred work), so the port can lag by a few ms. This is
    // why devlaunch itself waits until every port binds before it exits.
    await waitFor(() => canBind(port), { what: 'the port to bind again' });
  });

  it('the session sweep can be limited to one service', async () => {
    const a = await startService([node, 'daemonize.mjs'], {
      EXIT_AFTER_DAEMON: '1',
      DEVLAUNCH_SERVICE: 'a',
    });
    const [, daemonPid] = await a.waitForLine(/^DAEMON (\d+)$/);
    track(Number(daemonPid));
    await a.exited;
    const other = { ...target(a, a.session), service: 'b' };
    await stopTree(other, { signal: 'SIGTERM', timeoutMs: 1000 });
    expect(isAlive(Number(daemonPid))).toBe(true);
    await stopTree({ ...other, service: 'a' }, { signal: 'SIGTERM', timeoutMs: 1000 });
    expect(isAlive(Number(daemonPid))).toBe(false);
  });

  it('stops a grandchild tree and returns at once for a tree that is already gone', async () => {
    const s = await startService([node, 'spawn-grandchild.mjs']);
    await s.waitForLine(/^TREE READY$/);
    const [, child] = await s.waitForLine(/^CHILD (\d+)$/);
    const [, grandchild] = await s.waitForLine(/^GRANDCHILD (\d+)$/);
    await stopTree(target(s), { signal: 'SIGTERM', timeoutMs: 3000 });
    expect([s.pid, Number(child), Number(grandchild)].filter(isAlive)).toEqual([]);
    // A grace far longer than the test's own timeout: the test ends only if none is waited.
    expect(await stopTree(target(s), { signal: 'SIGTERM', timeoutMs: 3_600_000 })).toEqual({
      forced: false,
    });
  });

  it('never signals a pid whose start time does not match (a reused pid)', async () => {
    const s = await startService([node, 'server.mjs'], { PORT: '0' });
    await s.waitForLine(/^LISTENING/);
    const stale = { pid: s.pid, pgid: s.pgid, startTime: String(Number(s.startTime) - 1) };
    expect(await stopTree(stale, { signal: 'SIGKILL', timeoutMs: 100, force: true })).toEqual({
      forced: false,
    });
    expect(isAlive(s.pid)).toBe(true);
  });

  it('killTreeNow SIGKILLs the whole tree at once', async () => {
    const s = await startService(
      `${shellQuote(node)} ignore-term.mjs & exec ${shellQuote(node)} ignore-term.mjs`,
    );
    await s.waitForLine(/^READY/);
    await waitFor(() => survivors(s.session).length >= 2, { what: 'both ignore-term processes' });
    // Two processes that ignore SIGTERM: only a SIGKILL to each ends them.
    await killTreeNow(target(s));
    expect(survivors(s.session)).toEqual([]);
    expect((await s.exited).signal).toBe('SIGKILL');
  });
});

function processState(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
}
