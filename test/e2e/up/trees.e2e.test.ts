/**
 * Services that are whole process trees: a shell with a background grandchild, an `npm run`
 * style wrapper (also one whose child leaves the group), and a double-forked daemon that
 * escapes both the tree and the group. After Ctrl+C nothing of any of them may be left.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../helpers/ports.js';
import { cleanupTracked, isAlive } from '../../helpers/processes.js';
import {
  busyPorts,
  ensureCliBuilt,
  fixture,
  leftovers,
  nodeFixture,
  project,
  removeProjects,
  up,
} from './helpers.js';

beforeAll(ensureCliBuilt, 120_000);

afterEach(async () => {
  await cleanupTracked();
  removeProjects();
});

describe('devlaunch up stops whole trees', () => {
  it('shell + grandchild, wrappers, and a daemon: nothing left after Ctrl+C', async () => {
    const ports = await Promise.all([1, 2, 3, 4].map(() => freePort()));
    const [pshell, pwrap, pdetached, pdaemon] = ports as [number, number, number, number];
    const p = project({
      stop_timeout: '1s',
      services: {
        shell: {
          command: `sleep 300 & exec ${process.execPath} ${fixture('server.mjs')}`,
          port: pshell,
        },
        wrapped: { command: nodeFixture('wrapper.mjs'), port: pwrap },
        detached: {
          command: nodeFixture('wrapper.mjs'),
          port: pdetached,
          env: { WRAPPER_DETACH: '1' },
        },
        daemon: { command: nodeFixture('daemonize.mjs'), port: pdaemon },
      },
    });
    const cli = up(p);
    await cli.stdout.waitFor(/all services ready/, 15_000);
    const daemon = Number((await cli.stdout.waitFor(/^daemon\s*\| DAEMON (\d+)$/))[1]);
    const children = await Promise.all(
      ['wrapped', 'detached'].map(async (s) =>
        Number((await cli.stdout.waitFor(new RegExp(`^${s}\\s*\\| CHILD (\\d+)$`)))[1]),
      ),
    );
    const running = leftovers(cli);
    for (const pid of [daemon, ...children]) expect(running).toContain(pid);
    // devlaunch, watchdog, sh/server/sleep, 2×(wrapper, server), daemonize + daemon
    expect(running.length).toBeGreaterThanOrEqual(10);
    process.kill(-cli.pid, 'SIGINT');
    expect((await cli.waitForExit(10_000)).code).toBe(130);
    expect(leftovers(cli)).toEqual([]);
    for (const pid of [daemon, ...children]) expect(isAlive(pid)).toBe(false);
    expect(await busyPorts(ports)).toEqual([]);
  });
});
