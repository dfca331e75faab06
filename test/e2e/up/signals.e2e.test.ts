/**
 * Stopping `devlaunch up`: each stop signal and its exit code, a real terminal closing (tmux),
 * a second Ctrl+C skipping the grace, and kill -9 of devlaunch (the watchdog takes over).
 * Survivors are counted from the process table (the test's marker), never from exit events.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cliPath } from '../../helpers/cli.js';
import { freePort } from '../../helpers/ports.js';
import {
  cleanupTracked,
  isAlive,
  survivors,
  trackMarker,
  waitFor,
} from '../../helpers/processes.js';
import {
  busyPorts,
  ensureCliBuilt,
  leftovers,
  nodeFixture,
  project,
  removeProjects,
  up,
  upWithTrees,
} from './helpers.js';

beforeAll(ensureCliBuilt, 120_000);

const tmuxSockets: string[] = [];

afterEach(async () => {
  for (const socket of tmuxSockets.splice(0)) {
    try {
      execFileSync('tmux', ['-L', socket, 'kill-server'], { stdio: 'ignore' });
    } catch {} // already gone: its last session ended
  }
  await cleanupTracked();
  removeProjects();
});

/**
 * The second Ctrl+C tests: the services ignore SIGTERM and have a grace far longer than every
 * bound of the test (LINE_MS twice, then EXIT_MS), so devlaunch exiting within EXIT_MS of the
 * second Ctrl+C shows the grace was skipped, however slowly a loaded machine runs the rest.
 */
const GRACE = '300s';
const LINE_MS = 15_000;
const EXIT_MS = 20_000;
const TEST_MS = 90_000;

/** Two servers, b after a, both with a port and an HTTP readiness check. */
async function twoServers(extra: Record<string, unknown> = {}) {
  const [pa, pb] = [await freePort(), await freePort()];
  const p = project({
    name: 'signals',
    stop_timeout: '1s',
    services: {
      a: { command: nodeFixture('server.mjs'), port: pa, ready: { http: '/health' } },
      b: {
        command: nodeFixture('server.mjs'),
        port: pb,
        depends_on: ['a'],
        ready: { http: '/health' },
      },
      ...extra,
    },
  });
  return { p, ports: [pa, pb] };
}

describe('devlaunch up stops on a signal', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)('%s: exit %i, nothing left, every port bindable at exit', async (signal, code) => {
    const { p, ports } = await twoServers();
    const cli = up(p);
    await cli.stdout.waitFor(/all services ready/, 15_000);
    // SIGINT as a terminal sends it: to the whole foreground process group of devlaunch.
    process.kill(signal === 'SIGINT' ? -cli.pid : cli.pid, signal);
    const exit = await cli.waitForExit(10_000);
    expect(leftovers(cli)).toEqual([]);
    expect(await busyPorts(ports)).toEqual([]);
    expect(exit).toEqual({ code, signal: null });
    await cli.stdout.waitFor(/everything stopped/);
    expect(cli.stdout.text()).toMatch(new RegExp(`${signal} received`));
    // Reverse dependency order: b (the dependent) stops before a.
    const text = cli.stdout.text();
    expect(text.indexOf('stopped b')).toBeGreaterThan(-1);
    expect(text.indexOf('stopped b')).toBeLessThan(text.indexOf('stopped a'));
  });

  it('SIGHUP from a real terminal closing (tmux kill-session): nothing left, ports free', async () => {
    const { p, ports } = await twoServers();
    const marker = `TEST_MARKER=${randomUUID()}`;
    trackMarker(marker);
    const socket = `devlaunch-up-${randomUUID().slice(0, 8)}`;
    tmuxSockets.push(socket);
    const command = `env ${marker} NO_COLOR=1 ${process.execPath} ${cliPath} up -f ${p.file}`;
    execFileSync(
      'tmux',
      ['-L', socket, 'new-session', '-d', '-s', 'up', '-x', '200', '-y', '50', command],
      {
        cwd: p.root,
      },
    );
    // The session's own line in the terminal, not "the port cannot be bound": devlaunch's port
    // probes bind each port for an instant before any service starts.
    const screen = () =>
      execFileSync('tmux', ['-L', socket, 'capture-pane', '-p', '-J', '-S', '-', '-t', 'up'], {
        encoding: 'utf8',
      });
    await waitFor(() => /all services ready/.test(screen()), {
      timeoutMs: 15_000,
      intervalMs: 50,
      what: 'devlaunch to say every service is ready, in the tmux pane',
    });
    const before = survivors(marker);
    expect(before.length, screen()).toBeGreaterThanOrEqual(4); // devlaunch, watchdog, a, b
    execFileSync('tmux', ['-L', socket, 'kill-session', '-t', 'up']);
    await waitFor(() => before.every((pid) => !isAlive(pid)), {
      timeoutMs: 10_000,
      what: 'devlaunch and its services to end after the terminal closed',
    });
    expect(survivors(marker)).toEqual([]);
    expect(await busyPorts(ports)).toEqual([]);
  });

  it(
    'a second Ctrl+C skips the grace of a service that ignores SIGTERM',
    async () => {
      const port = await freePort();
      const p = project({
        services: {
          stubborn: { command: nodeFixture('ignore-term.mjs'), port, stop_timeout: GRACE },
        },
      });
      const cli = up(p);
      await cli.stdout.waitFor(/all services ready/, 15_000);
      process.kill(-cli.pid, 'SIGINT');
      await cli.stdout.waitFor(/SIGINT received: stopping/, LINE_MS);
      await cli.stdout.waitFor(/stubborn \| IGNORED SIGTERM/, LINE_MS);
      process.kill(-cli.pid, 'SIGINT');
      const exit = await cli.waitForExit(EXIT_MS);
      expect(exit.code).toBe(130);
      expect(cli.stdout.text()).toMatch(/stubborn force-stopped \(second Ctrl\+C, /);
      expect(leftovers(cli)).toEqual([]);
      expect(await busyPorts([port])).toEqual([]);
    },
    TEST_MS,
  );

  it(
    'a second Ctrl+C also ends services still waiting for their dependents, without failures or restarts',
    async () => {
      const [pa, pb] = [await freePort(), await freePort()];
      const stubborn = { command: nodeFixture('ignore-term.mjs'), stop_timeout: GRACE };
      const p = project({
        services: {
          base: { ...stubborn, port: pa, restart: 'always' },
          top: { ...stubborn, port: pb, depends_on: ['base'] },
        },
      });
      const cli = up(p);
      await cli.stdout.waitFor(/all services ready/, 15_000);
      process.kill(-cli.pid, 'SIGINT');
      // top (the dependent) gets its SIGTERM first; base waits for top to be gone.
      await cli.stdout.waitFor(/top\s*\| IGNORED SIGTERM/, LINE_MS);
      process.kill(-cli.pid, 'SIGINT');
      const exit = await cli.waitForExit(EXIT_MS);
      expect(exit.code).toBe(130);
      expect(leftovers(cli)).toEqual([]);
      expect(await busyPorts([pa, pb])).toEqual([]);
      expect(cli.stderr.text()).not.toMatch(/failed/);
      expect(cli.stdout.text()).not.toMatch(/restarting/);
      expect(cli.stdout.text()).not.toMatch(/starting base \(pid \d+\)[\s\S]*starting base/);
      expect(cli.stdout.text()).toMatch(/stopping now: killing every service/);
      // Each service force-stopped still gets its line, saying why it was killed.
      for (const name of ['top', 'base']) {
        expect(cli.stdout.text()).toMatch(new RegExp(`${name} force-stopped \\(second Ctrl\\+C, `));
      }
      expect(cli.stdout.text()).not.toMatch(/after its stop_timeout/);
    },
    TEST_MS,
  );

  it('kill -9 of devlaunch: the watchdog stops every tree (grandchild included) and exits', async () => {
    const { cli, ports, running } = await upWithTrees();
    // devlaunch, watchdog, sh→server + sleep, spawn-grandchild's three processes
    expect(running.length).toBeGreaterThanOrEqual(7);
    process.kill(cli.pid, 'SIGKILL');
    // Gone, eventually: how soon is a matter of speed (a loaded machine starts the watchdog's
    // Node slowly), not of behaviour. A watchdog that did nothing would leave them for good.
    await waitFor(() => leftovers(cli).length === 0, {
      timeoutMs: 15_000,
      what: `every process of the session to end after kill -9 (left: ${leftovers(cli).join(', ')})`,
    });
    expect(await busyPorts(ports)).toEqual([]);
  });
});
