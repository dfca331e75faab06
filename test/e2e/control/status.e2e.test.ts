/**
 * `status` as a health check: a live probe of every ready service, `unhealthy` for a stopped
 * (SIGSTOP) process, LSB exit codes, and when nothing runs, when and why the last session ended.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { freePort } from '../../helpers/ports.js';
import { cleanupTracked, survivors, waitFor } from '../../helpers/processes.js';
import {
  cli,
  ensureCliBuilt,
  nodeFixture,
  project,
  removeProjects,
  server,
  status,
  trackSupervisor,
} from '../sessions/helpers.js';

beforeAll(ensureCliBuilt, 120_000);

// Each test runs several CLI commands against real services: generous on a loaded machine.
vi.setConfig({ testTimeout: 90_000 });

afterEach(async () => {
  await cleanupTracked();
  removeProjects();
});

const posix = process.platform !== 'win32';

describe('status', () => {
  it.runIf(posix)(
    'exits 0 when healthy, 1 with `unhealthy` once a service is SIGSTOPped',
    async () => {
      const [pa, pb] = [await freePort(), await freePort()];
      const p = project({
        services: { api: server(pa), db: server(pb, { ready: { tcp: true } }) },
      });
      expect((await cli(p, ['up', '-d'])).code).toBe(0);
      const st = await status(p);
      trackSupervisor(st);
      const healthy = await cli(p, ['status', '--json']);
      expect(healthy.code, healthy.stderr).toBe(0);
      const json = JSON.parse(healthy.stdout) as {
        services: { name: string; healthy: boolean | null; state: string; pid: number }[];
      };
      expect(json.services.map((s) => [s.name, s.state, s.healthy])).toEqual([
        ['api', 'ready', true],
        ['db', 'ready', true],
      ]);

      // A stopped process keeps its port (the kernel still accepts connections) but answers nothing.
      const db = json.services.find((s) => s.name === 'db')!.pid;
      const api = json.services.find((s) => s.name === 'api')!.pid;
      process.kill(db, 'SIGSTOP');
      process.kill(api, 'SIGSTOP');
      try {
        // Answers, not hangs: runCli fails the test if status does not exit in 20 s.
        const sick = await cli(p, ['status']);
        expect(sick.code).toBe(1);
        expect(sick.stdout).toMatch(/api\s+unhealthy/);
        expect(sick.stdout).toMatch(/db\s+unhealthy/);
        expect(sick.stderr).toMatch(/db is unhealthy: process stopped/);
        const sickJson = JSON.parse((await cli(p, ['status', '--json'])).stdout) as typeof json;
        expect(sickJson.services.map((s) => s.healthy)).toEqual([false, false]);
      } finally {
        process.kill(db, 'SIGCONT');
        process.kill(api, 'SIGCONT');
      }
      expect((await cli(p, ['status'])).code).toBe(0);
      expect((await cli(p, ['down'])).code).toBe(0);
      expect(survivors(p.marker)).toEqual([]);
    },
  );

  it('exits 3 when nothing runs, and says when and why the last session ended', async () => {
    const p = project({
      services: {
        backend: {
          command: [...nodeFixture('exit-early.mjs')],
          env: { EXIT_CODE: '1', DELAY_MS: '200' },
        },
      },
    });
    const never = await cli(p, ['status', '--json']);
    expect(never.code).toBe(3);
    expect(JSON.parse(never.stdout)).toMatchObject({
      session: null,
      services: [],
      lastSession: null,
    });

    const up = await cli(p, ['up']);
    expect(up.code).toBe(1);
    const st = await cli(p, ['status']);
    expect(st.code).toBe(3);
    expect(st.stdout).toMatch(/the last session ended .*: backend exited with code 1/);
    const json = JSON.parse((await cli(p, ['status', '--json'])).stdout);
    expect(json.lastSession.reason).toBe('backend exited with code 1');
    expect(Date.parse(json.lastSession.endedAt)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('after kill -9 of the supervisor, once its watchdog stopped everything: exit 3', async () => {
    const port = await freePort();
    const p = project({ services: { web: server(port) } });
    const up = await cli(p, ['up', '-d']);
    expect(up.code, up.stderr).toBe(0);
    const before = await status(p);
    const supervisor = trackSupervisor(before);
    process.kill(supervisor, 'SIGKILL');
    await waitFor(() => survivors(p.marker).length === 0, {
      what: 'the watchdog to stop web',
      timeoutMs: 20_000,
    });
    const st = await cli(p, ['status']);
    expect(st.code).toBe(3);
    expect(st.stderr).toMatch(/nothing of .* is running: the supervisor of session .* is gone/);
    expect(st.stderr).toContain('devlaunch down clears its state');
    expect((await cli(p, ['status', '--json'])).code).toBe(3);
    expect((await cli(p, ['down'])).code).toBe(0);
  });
});
