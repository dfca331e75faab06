/**
 * `devlaunch down` asking a live supervisor to stop: an attached `up` in another "terminal"
 * (exits 0), and `down SERVICE` stopping that service and its dependents only while the
 * session lives on.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../helpers/ports.js';
import { cleanupTracked, isAlive, survivors, waitFor } from '../../helpers/processes.js';
import {
  busyPorts,
  cli,
  ensureCliBuilt,
  project,
  removeProjects,
  server,
  startDevlaunch,
  status,
  trackSupervisor,
} from './helpers.js';

beforeAll(ensureCliBuilt, 120_000);

afterEach(async () => {
  await cleanupTracked();
  removeProjects();
});

describe('down asks the running supervisor', () => {
  it('stops an attached up from a second process: up exits 0, nothing left', async () => {
    const [pa, pb] = [await freePort(), await freePort()];
    const p = project({
      services: { api: server(pa), web: server(pb, { depends_on: ['api'] }) },
    });
    const up = startDevlaunch(p, ['up']);
    await up.stdout.waitFor(/all services ready/, 15_000);
    const st = await status(p);
    expect(st.supervisor?.pid).toBe(up.pid);
    const pids = st.services.map((s) => s.pid!);
    const down = await cli(p, ['down']);
    expect(down.code, down.stderr).toBe(0);
    // down returns only once everything is gone and every port binds.
    expect(pids.filter(isAlive)).toEqual([]);
    expect(await busyPorts([pa, pb])).toEqual([]);
    const exit = await up.waitForExit(10_000);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(survivors(p.marker)).toEqual([]);
    expect((await status(p)).session).toBeNull();
  });

  it('down SERVICE stops it and what depends on it, directly or not; the rest runs on', async () => {
    const ports = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
    const [pauth, pback, pfront, pother] = ports as [number, number, number, number];
    // Graces far longer than the test may run (the servers end at once on SIGTERM): down can
    // return in time only once those two are gone, not after the longest stop could take.
    const slow = { stop_timeout: '1h' };
    const p = project({
      services: {
        auth: server(pauth, slow),
        backend: server(pback, { depends_on: ['auth'], ...slow }),
        frontend: server(pfront, { depends_on: { backend: 'ready' }, ...slow }),
        other: server(pother, slow),
      },
    });
    const up = await cli(p, ['up', '-d']);
    expect(up.code, up.stderr).toBe(0);
    const before = await status(p);
    const supervisor = trackSupervisor(before);
    const pid = (name: string) => before.services.find((s) => s.name === name)!.pid!;

    const down = await cli(p, ['down', 'backend']);
    expect(down.code, down.stderr).toBe(0);
    expect(isAlive(pid('backend'))).toBe(false);
    expect(isAlive(pid('frontend'))).toBe(false);
    expect(await busyPorts([pback, pfront])).toEqual([]);
    expect(isAlive(pid('auth'))).toBe(true);
    expect(isAlive(pid('other'))).toBe(true);
    expect(isAlive(supervisor)).toBe(true);

    const after = await status(p);
    expect(after.session).toBe(before.session);
    const states = Object.fromEntries(after.services.map((s) => [s.name, s.state]));
    expect(states).toEqual({
      auth: 'ready',
      backend: 'stopped',
      frontend: 'stopped',
      other: 'ready',
    });
    expect(after.services.find((s) => s.name === 'auth')?.pid).toBe(pid('auth'));

    // The session lives on while any service runs; a plain down ends it.
    const rest = await cli(p, ['down']);
    expect(rest.code, rest.stderr).toBe(0);
    await waitFor(() => !isAlive(supervisor), { timeoutMs: 5000, what: 'the supervisor to end' });
    expect(survivors(p.marker)).toEqual([]);
    expect(await busyPorts(ports)).toEqual([]);
  });
});
