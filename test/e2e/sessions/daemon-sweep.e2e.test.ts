/**
 * A daemon that double-forks and leaves no DEVLAUNCH_SESSION mark in its environment (as
 * `redis-server --daemonize yes` does by writing its title over it) is still found and stopped
 * with its service: it holds the service's own port, started after the service was spawned,
 * runs as the same user and was orphaned out of the tree. A foreign process on another port,
 * or one started before the service, is never touched.
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { freePort } from '../../helpers/ports.js';
import { cleanupTracked, isAlive, survivors, track, waitFor } from '../../helpers/processes.js';
import {
  busyPorts,
  cli,
  ensureCliBuilt,
  environOf,
  findWatchdog,
  nodeFixture,
  project,
  removeProjects,
  shell,
  shellCli,
  squatter,
  status,
  trackSupervisor,
} from './helpers.js';

beforeAll(ensureCliBuilt, 120_000);
vi.setConfig({ testTimeout: 120_000 });

afterEach(async () => {
  await cleanupTracked();
  removeProjects();
});

/**
 * A service whose process starts a daemon like redis-server --daemonize yes and stays in the
 * foreground itself (EXIT_AFTER_DAEMON=1: it exits 0 once the daemon runs, as redis does).
 */
const redisLike = (port: number) => ({
  command: nodeFixture('daemonize.mjs'),
  port,
  env: { DAEMON_ERASE_ENV: '1' },
  ready: { tcp: true, timeout: '15s' },
  stop_timeout: '1s',
});

/** The daemon's pid, from the service's log. */
async function daemonPid(p: { root: string }, cliRun: typeof cli, proj: Parameters<typeof cli>[0]) {
  const pid = await waitFor(
    async () => Number(/DAEMON (\d+)/.exec((await cliRun(proj, ['logs', 'cache'])).stdout)?.[1]),
    { timeoutMs: 15_000, what: 'the daemon to be logged' },
  );
  track(pid);
  // It carries no mark: only the port evidence ties it to the session.
  expect(environOf(pid)?.DEVLAUNCH_SESSION).toBeUndefined();
  expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8')).toContain('redis-server');
  void p;
  return pid;
}

describe('a daemon that erased its environment', () => {
  it('down stops it with its service; a stranger on another port is untouched', async () => {
    const [port, other] = [await freePort(), await freePort()];
    const stranger = await squatter(other);
    const p = project({ services: { cache: redisLike(port) } });
    const up = await cli(p, ['up', '-d']);
    expect(up.code, up.stderr).toBe(0);
    trackSupervisor(await status(p));
    const daemon = await daemonPid(p, cli, p);
    expect(await busyPorts([port])).toEqual([port]);

    const down = await cli(p, ['down']);
    expect(down.code, down.stderr).toBe(0);
    await waitFor(() => !isAlive(daemon), { what: 'the daemon to be stopped' });
    expect(await busyPorts([port])).toEqual([]);
    expect(isAlive(stranger)).toBe(true);
    expect(survivors(p.marker)).toEqual([]);
  });

  it('Ctrl+C of an attached up stops it', async () => {
    const port = await freePort();
    const p = project({ services: { cache: redisLike(port) } });
    const up = shell(p, `exec ${shellCli(p, 'up')}`, 60_000);
    await up.stdout.waitFor(/all services ready/, 30_000);
    const daemon = await daemonPid(p, cli, p);
    process.kill(-up.child.pid!, 'SIGINT');
    await up.exit;
    expect(isAlive(daemon)).toBe(false);
    expect(up.stdout.text() + up.stderr.text()).toContain(
      `a daemon cache left holding port ${port}`,
    );
    expect(await busyPorts([port])).toEqual([]);
  });

  it('after kill -9 of devlaunch and its watchdog, down still finds it', async () => {
    const port = await freePort();
    const p = project({ services: { cache: redisLike(port) } });
    const up = await cli(p, ['up', '-d']);
    expect(up.code, up.stderr).toBe(0);
    const st = await status(p);
    const supervisor = trackSupervisor(st);
    const daemon = await daemonPid(p, cli, p);
    const watchdog = findWatchdog(st.session!);
    if (watchdog !== null) process.kill(watchdog, 'SIGKILL');
    process.kill(supervisor, 'SIGKILL');
    await waitFor(() => !isAlive(supervisor), { what: 'the supervisor to die' });
    expect(isAlive(daemon)).toBe(true);
    const down = await cli(p, ['down']);
    expect(down.code, down.stderr).toBe(0);
    expect(down.stdout).toContain(`cache pid ${daemon}`);
    expect(isAlive(daemon)).toBe(false);
    expect(await busyPorts([port])).toEqual([]);
  });

  it('a service that exits 0 once daemonized runs on as its daemon until down', async () => {
    const port = await freePort();
    const service = { ...redisLike(port), env: { DAEMON_ERASE_ENV: '1', EXIT_AFTER_DAEMON: '1' } };
    const p = project({ services: { cache: service } });
    const up = await cli(p, ['up', '-d']);
    expect(up.code, up.stderr).toBe(0);
    const supervisor = trackSupervisor(await status(p));
    const daemon = await daemonPid(p, cli, p);
    // Ready as the daemon: its pid is the service's, and the session goes on.
    const st = await waitFor(
      async () => {
        const s = await status(p);
        return s.services.find((x) => x.name === 'cache')?.pid === daemon ? s : null;
      },
      { what: 'status to show the daemon as the service' },
    );
    expect(st.services.find((x) => x.name === 'cache')?.state).toBe('ready');
    expect(isAlive(supervisor)).toBe(true);
    expect((await cli(p, ['status'])).code).toBe(0);

    const down = await cli(p, ['down']);
    expect(down.code, down.stderr).toBe(0);
    expect(isAlive(daemon)).toBe(false);
    expect(await busyPorts([port])).toEqual([]);
    expect(survivors(p.marker)).toEqual([]);
  });
});
