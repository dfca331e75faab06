/**
 * Dependency order and readiness, with fake processes: a service starts once what it depends
 * on is started / ready / completed, and `all-ready` comes once everything is.
 */
import { describe, expect, it } from 'vitest';
import { exitsWith, FakeWorld, runsForever } from './fakes.js';

describe('Supervisor: dependency order', () => {
  it('starts a `ready` dependent only after its dependency is ready', async () => {
    const world = new FakeWorld({
      db: { program: runsForever },
      api: { depends_on: { db: 'ready' } },
    });
    const done = world.supervisor.run();
    await world.until(() => world.spawned('db') === 1, 'db spawned');
    // db runs but is not ready: api must wait, however long that takes.
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    expect(world.spawned('api')).toBe(0);
    world.child('db').ready();
    await world.until(() => world.supervisor.allReady.settled, 'all ready');
    expect(world.log('service-starting', 'service-ready', 'all-ready')).toEqual([
      'service-starting db',
      'service-ready db',
      'service-starting api',
      'service-ready api',
      'all-ready',
    ]);
    world.supervisor.requestStop({ kind: 'down' });
    await expect(done).resolves.toMatchObject({ exitCode: 0 });
  });

  it('starts a `started` dependent as soon as its dependency has a process', async () => {
    const world = new FakeWorld({
      db: { program: runsForever },
      worker: { depends_on: { db: 'started' } },
    });
    const done = world.supervisor.run();
    await world.until(() => world.spawned('worker') === 1, 'worker spawned');
    expect(world.runner('db').state).toBe('starting');
    world.supervisor.requestStop({ kind: 'down' });
    await done;
  });

  it('starts a `completed` dependent after its dependency exited 0, and reports it completed', async () => {
    const world = new FakeWorld({
      migrate: { ready: null, program: exitsWith(0) },
      app: { depends_on: { migrate: 'completed' } },
    });
    const done = world.supervisor.run();
    await world.until(() => world.supervisor.allReady.settled, 'all ready');
    expect(world.log('service-completed', 'service-starting')).toEqual([
      'service-starting migrate',
      'service-completed migrate',
      'service-starting app',
    ]);
    const allReady = world.events.find((e) => e.type === 'all-ready');
    expect(allReady).toMatchObject({
      rows: [
        { service: 'migrate', state: 'completed' },
        { service: 'app', state: 'ready', pid: world.child('app').pid },
      ],
    });
    world.supervisor.requestStop({ kind: 'down' });
    await done;
  });

  it('starts independent services in parallel', async () => {
    const world = new FakeWorld({ a: { program: runsForever }, b: { program: runsForever } });
    const done = world.supervisor.run();
    await world.until(() => world.spawned('a') === 1 && world.spawned('b') === 1, 'both spawned');
    world.supervisor.requestStop({ kind: 'down' });
    await done;
  });

  it('does not start a dependent whose dependency failed; the session ends with exit 1', async () => {
    const world = new FakeWorld({
      db: { program: exitsWith(3) },
      api: { depends_on: { db: 'ready' } },
    });
    const result = await world.supervisor.run();
    expect(result).toEqual({ exitCode: 1, reason: { kind: 'failure', service: 'db' } });
    expect(world.spawned('api')).toBe(0);
    expect(world.supervisor.allReady.value).toBe(false);
    expect(world.runner('api').state).toBe('stopped');
  });

  it('a `ready` dependency that completes before it is ready fails its dependent, naming both', async () => {
    const world = new FakeWorld({
      setup: { program: exitsWith(0) },
      api: { depends_on: { setup: 'ready' } },
    });
    const result = await world.supervisor.run();
    expect(result).toEqual({ exitCode: 1, reason: { kind: 'failure', service: 'api' } });
    expect(world.spawned('api')).toBe(0);
    expect(world.events.find((e) => e.type === 'service-failed')).toMatchObject({
      service: 'api',
      reason: 'setup ended before it was ready, and api depends on it being ready',
    });
  });

  it('stops dependents before what they depend on', async () => {
    const world = new FakeWorld({ db: {}, api: { depends_on: { db: 'ready' } }, web: {} });
    const done = world.supervisor.run();
    await world.until(() => world.supervisor.allReady.settled, 'all ready');
    world.supervisor.requestStop({ kind: 'signal', signal: 'SIGTERM' });
    const result = await done;
    expect(result.exitCode).toBe(143);
    expect(world.stops.indexOf('api SIGTERM')).toBeLessThan(world.stops.indexOf('db SIGTERM'));
    expect(world.stops).toContain('web SIGTERM');
    expect(world.log('stopping', 'stopped').at(-1)).toBe('stopped');
  });
});

describe('Supervisor: readiness', () => {
  it('a service without a check is ready once spawned; all-ready lists pids', async () => {
    const world = new FakeWorld({ task: { ready: null, program: runsForever } });
    const done = world.supervisor.run();
    await expect(world.supervisor.allReady.reached).resolves.toBe(true);
    expect(world.runner('task').state).toBe('ready');
    expect(world.events.find((e) => e.type === 'all-ready')).toMatchObject({
      rows: [{ service: 'task', pid: world.child('task').pid, state: 'ready' }],
    });
    world.supervisor.requestStop({ kind: 'down' });
    await done;
  });

  it('a check that times out fails the service during start-up: exit 1, the process stopped', async () => {
    const world = new FakeWorld({
      ok: {},
      slow: { program: (child) => child.notReadyInTime() },
    });
    const result = await world.supervisor.run();
    expect(result).toEqual({ exitCode: 1, reason: { kind: 'failure', service: 'slow' } });
    const failed = world.events.find((e) => e.type === 'service-failed');
    expect(failed).toMatchObject({
      service: 'slow',
      reason: expect.stringMatching(/^not ready after 1s/),
    });
    expect(world.stops).toContain('slow SIGTERM');
    expect(world.children.every((c) => !c.alive)).toBe(true);
    expect(world.runner('slow').state).toBe('failed');
  });

  it('a service that exits while being waited on fails at once, with its last lines', async () => {
    const world = new FakeWorld({
      api: {
        program: (child) => {
          child.print('boot');
          child.print('Error: cannot connect');
          setTimeout(() => child.end(1), 5);
        },
      },
    });
    const result = await world.supervisor.run();
    expect(result.exitCode).toBe(1);
    expect(world.events.find((e) => e.type === 'service-failed')).toEqual({
      type: 'service-failed',
      service: 'api',
      reason: 'exited with code 1',
      lastLines: ['boot', 'Error: cannot connect'],
    });
    expect(world.runner('api').exitCode).toBe(1);
  });

  it('a spawn that fails is a failure of that service', async () => {
    const world = new FakeWorld({ api: {} });
    world.holdSpawn('api');
    const done = world.supervisor.run();
    await world.until(() => world.held.has('api'), 'spawn pending');
    world.held.get('api')?.fail('command not found: fake');
    await expect(done).resolves.toMatchObject({ exitCode: 1 });
    expect(world.events.find((e) => e.type === 'service-failed')).toMatchObject({
      reason: 'command not found: fake',
    });
  });
});
