/**
 * `down` at any moment of `up`'s start-up stops it: the session is claimed (lock and a
 * `starting` state) before ports are resolved. Tried while `up` reclaims an earlier session's
 * leftover (before its ports), while it asks on a terminal (attached and `-d`), and while it
 * waits for readiness: the stopped `up` exits 0, nothing survives, no foreign process is touched.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { freePort } from '../../helpers/ports.js';
import { cleanupTracked, isAlive, survivors, waitFor } from '../../helpers/processes.js';
import {
  busyPorts,
  cli,
  ensureCliBuilt,
  nodeFixture,
  type Project,
  project,
  removeProjects,
  server,
  shell,
  shellCli,
  squatter,
} from './helpers.js';

beforeAll(ensureCliBuilt, 120_000);
vi.setConfig({ testTimeout: 120_000 });

afterEach(async () => {
  await cleanupTracked();
  removeProjects();
});

/** The supervisor pid of the recorded main session once it is claimed, else null. */
function claimedBy(p: Project): number | null {
  if (!existsSync(p.state)) return null;
  try {
    return (JSON.parse(readFileSync(p.state, 'utf8')) as { supervisor: { pid: number } }).supervisor
      .pid;
  } catch {
    return null;
  }
}

/** `up` (or `up -d`) on a pseudo-terminal, so it asks about a busy port. */
function upOnTerminal(p: Project, flags = '') {
  return shell(
    p,
    `script -qec "${shellCli(p, 'up', flags).replaceAll('"', '\\"')}" /dev/null`,
    60_000,
  );
}

describe('down during up’s start-up', () => {
  for (const flags of ['', '-d']) {
    it(`while up${flags ? ' -d' : ''} asks about a busy port: up exits 0, the holder is untouched`, async () => {
      const port = await freePort();
      const holder = await squatter(port);
      const p = project({ services: { api: server(port) } });
      const up = upOnTerminal(p, flags);
      await up.stdout.waitFor(/\[s\] stop it/, 30_000);
      expect(claimedBy(p)).not.toBeNull();
      const down = await cli(p, ['down']);
      expect(down.code, down.stderr).toBe(0);
      expect(down.stdout).toContain('stopped session');
      const exit = await up.exit;
      expect(exit?.code, up.stdout.text()).toBe(0);
      expect(up.stdout.text()).toContain('stopped by devlaunch down');
      expect(isAlive(holder)).toBe(true);
      expect(survivors(p.marker)).toEqual([]);
      expect(existsSync(p.state)).toBe(false);
      // The project is free again: a new up takes its lock.
      expect(existsSync(join(p.root, '.devlaunch', 'lock'))).toBe(false);
    });
  }

  it('while up reclaims an earlier session’s leftover, before its ports: the leftover goes too', async () => {
    const port = await freePort();
    // A leftover that ignores SIGTERM keeps up busy for its stop_timeout before any port.
    const stubborn = {
      command: [
        process.execPath,
        '-e',
        "process.on('SIGTERM', () => {}); require('net').createServer().listen(Number(process.env.PORT), '127.0.0.1'); console.log('UP')",
      ],
      port,
      stop_timeout: '3s',
      ready: { log: 'UP' },
    };
    const p = project({ services: { api: stubborn } });
    const first = await cli(p, ['up', '-d']);
    expect(first.code, first.stderr).toBe(0);
    const old = JSON.parse(readFileSync(p.state, 'utf8')) as {
      supervisor: { pid: number };
      services: { pid: number }[];
    };
    const leftover = old.services[0]!.pid;
    // The supervisor dies hard and no watchdog cleans up: the leftover is ours, stale.
    const watchdog = (await import('./helpers.js')).findWatchdog(
      (JSON.parse(readFileSync(p.state, 'utf8')) as { session: string }).session,
    );
    if (watchdog) process.kill(watchdog, 'SIGKILL');
    process.kill(old.supervisor.pid, 'SIGKILL');
    await waitFor(() => !isAlive(old.supervisor.pid), { what: 'the old supervisor to die' });

    const up = shell(p, shellCli(p, 'up'), 60_000);
    await waitFor(() => claimedBy(p) !== null && claimedBy(p) !== old.supervisor.pid, {
      timeoutMs: 20_000,
      what: 'the new up to claim the session',
    });
    const down = await cli(p, ['down']);
    expect(down.code, down.stderr).toBe(0);
    expect((await up.exit)?.code, up.stderr.text()).toBe(0);
    expect(isAlive(leftover)).toBe(false);
    expect(survivors(p.marker)).toEqual([]);
    expect(await busyPorts([port])).toEqual([]);
  });

  it('while up waits for a slow service to be ready: up exits 0, nothing left', async () => {
    const port = await freePort();
    const p = project({
      services: {
        slow: server(port, {
          env: { READY_DELAY_MS: '20000' },
          ready: { http: '/health', timeout: '60s' },
        }),
      },
    });
    const up = shell(p, shellCli(p, 'up'), 60_000);
    await up.stdout.waitFor(/STARTED/, 30_000);
    const down = await cli(p, ['down']);
    expect(down.code, down.stderr).toBe(0);
    expect((await up.exit)?.code, up.stderr.text()).toBe(0);
    expect(survivors(p.marker)).toEqual([]);
    expect(await busyPorts([port])).toEqual([]);
  });

  it('an attached --dynamic up: plain down finds it (the only dynamic session)', async () => {
    const p = project({ services: { api: { command: nodeFixture('server.mjs'), port: 'auto' } } });
    // --dynamic never asks: its starting state is what down finds. Claimed, then ready.
    const up = shell(p, shellCli(p, 'up', '--dynamic'), 60_000);
    await up.stdout.waitFor(/all services ready/, 30_000);
    const down = await cli(p, ['down']);
    expect(down.code, down.stderr).toBe(0);
    expect((await up.exit)?.code, up.stderr.text()).toBe(0);
    expect(survivors(p.marker)).toEqual([]);
  });
});
