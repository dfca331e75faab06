/**
 * Single-service control of a running session (restart, start, stop, snapshot, subscribe),
 * with fake processes: what `devlaunch restart`, `up SERVICE`, `down SERVICE` and the
 * dashboard do through the control channel.
 */
import { describe, expect, it } from 'vitest';
import type { SupervisorEvent } from '../../../src/output/events.js';
import { FakeWorld } from './fakes.js';

/** db ← api (ready), and web on its own; everything ready. */
async function running(api: ConstructorParameters<typeof FakeWorld>[0][string] = {}) {
  const world = new FakeWorld({ db: {}, api: { depends_on: { db: 'ready' }, ...api }, web: {} });
  const done = world.supervisor.run();
  await world.supervisor.allReady.reached;
  return { world, done };
}

describe('Supervisor.restart', () => {
  it('stops the tree and starts it again: a new pid, resolved once ready; the rest untouched', async () => {
    const { world, done } = await running();
    const before = world.child('api');
    world.events.length = 0;
    await world.supervisor.restart(['api']);
    expect(before.alive).toBe(false);
    expect(world.stops).toEqual(['api SIGTERM']);
    // RESTARTS counts the restart policy's restarts (SPEC: max_restarts), not the user's.
    expect(world.runner('api')).toMatchObject({ state: 'ready', restarts: 0 });
    expect(world.runner('api').pid).toBe(world.child('api').pid);
    expect(world.runner('api').pid).not.toBe(before.pid);
    expect(world.log('service-stopped', 'service-starting', 'service-ready')).toEqual([
      'service-stopped api',
      'service-starting api',
      'service-ready api',
    ]);
    expect(world.spawned('db')).toBe(1);
    world.supervisor.requestStop({ kind: 'down' });
    await expect(done).resolves.toMatchObject({ exitCode: 0 });
  });

  it('no names: every service, stopped in reverse and started in dependency order', async () => {
    const { world, done } = await running();
    world.events.length = 0;
    await world.supervisor.restart();
    expect(world.stops.indexOf('api SIGTERM')).toBeLessThan(world.stops.indexOf('db SIGTERM'));
    const starts = world.log('service-starting');
    expect(starts.indexOf('service-starting db')).toBeLessThan(
      starts.indexOf('service-starting api'),
    );
    expect(world.log('service-ready').indexOf('service-ready db')).toBeLessThan(
      world.log('service-starting').indexOf('service-starting api') + 1,
    );
    // Everything was down for a moment: the session did not take that as its end.
    expect(world.log('stopping')).toEqual([]);
    expect(world.supervisor.snapshot().map((s) => s.state)).toEqual(['ready', 'ready', 'ready']);
    world.supervisor.requestStop({ kind: 'down' });
    await done;
  });

  it('rejects when the service does not get ready again; the others keep running', async () => {
    const { world, done } = await running({
      program: (child, attempt) => (attempt === 0 ? child.ready() : child.notReadyInTime()),
    });
    await expect(world.supervisor.restart(['api'])).rejects.toMatchObject({
      code: 'SERVICE_FAILED',
      message: expect.stringMatching(/^api did not get ready: not ready after 1s/),
    });
    await world.until(() => world.runner('api').pid === null, 'api taken down');
    expect(world.child('db').alive).toBe(true);
    expect(world.child('web').alive).toBe(true);
    world.supervisor.requestStop({ kind: 'down' });
    await done;
  });

  it('a failed service can be restarted, with its restart budget renewed', async () => {
    const { world, done } = await running({
      program: (child, attempt) => (attempt === 0 ? child.ready() : child.end(1)),
    });
    // Second run fails at once (during the restart below).
    await expect(world.supervisor.restart(['api'])).rejects.toThrow(/exited with code 1/);
    expect(world.runner('api').state).toBe('failed');
    expect(world.supervisor.snapshot()[1]).toMatchObject({
      name: 'api',
      state: 'failed',
      pid: null,
      exitCode: 1,
      lastExit: 'exited with code 1',
    });
    world.supervisor.requestStop({ kind: 'down' });
    await done;
  });

  it('rejects an unknown name (USAGE) and anything once the session is stopping', async () => {
    const { world, done } = await running();
    await expect(world.supervisor.restart(['nope'])).rejects.toMatchObject({ code: 'USAGE' });
    world.supervisor.requestStop({ kind: 'down' });
    await expect(world.supervisor.start(['api'])).rejects.toThrow(/stopping/);
    await done;
  });
});

describe('Supervisor.stop and start', () => {
  it('stop: dependents first; the session lives on', async () => {
    const { world, done } = await running();
    await world.supervisor.stop(['db']);
    expect(world.stops).toEqual(['api SIGTERM', 'db SIGTERM']);
    expect(world.child('web').alive).toBe(true);
    expect(world.supervisor.snapshot().map((s) => [s.name, s.state, s.pid])).toEqual([
      ['db', 'stopped', null],
      ['api', 'stopped', null],
      ['web', 'ready', world.child('web').pid],
    ]);
    world.supervisor.requestStop({ kind: 'down' });
    await expect(done).resolves.toMatchObject({ exitCode: 0 });
  });

  it('start: also starts what it needs; running services are left alone', async () => {
    const { world, done } = await running();
    await world.supervisor.stop(['db']);
    world.events.length = 0;
    await world.supervisor.start(['api', 'web']);
    expect(world.log('service-starting', 'service-ready')).toEqual([
      'service-starting db',
      'service-ready db',
      'service-starting api',
      'service-ready api',
    ]);
    expect(world.spawned('web')).toBe(1);
    expect(world.runner('api').restarts).toBe(0);
    world.supervisor.requestStop({ kind: 'down' });
    await done;
  });

  it('start rejects when a dependency does not get ready', async () => {
    const { world, done } = await running();
    await world.supervisor.stop(['db']);
    const db = world.runner('db');
    const started = world.supervisor.start(['api']);
    await world.until(() => db.current.kind === 'starting', 'db starting');
    world.child('db').end(1);
    await expect(started).rejects.toThrow(/api was not started: db did not get ready/);
    expect(world.runner('api').state).toBe('stopped');
    world.supervisor.requestStop({ kind: 'down' });
    await done;
  });

  it('stopping every service ends the session by itself, exit 0', async () => {
    const { world, done } = await running();
    await world.supervisor.stop();
    await expect(done).resolves.toEqual({ exitCode: 0, reason: { kind: 'finished' } });
  });
});

describe('Supervisor.subscribe', () => {
  it('gets every event (services and session) until unsubscribed', async () => {
    const { world, done } = await running();
    const seen: SupervisorEvent['type'][] = [];
    const unsubscribe = world.supervisor.subscribe((e) => seen.push(e.type));
    await world.supervisor.restart(['web']);
    expect(seen).toEqual(['service-stopped', 'service-starting', 'service-ready']);
    unsubscribe();
    world.supervisor.requestStop({ kind: 'down' });
    await done;
    expect(seen).toHaveLength(3);
  });
});
