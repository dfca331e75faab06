/**
 * A service's life with fake processes: restarts and their backoff, stops that arrive at every
 * stage (spawning, waiting for readiness, backoff), the second Ctrl+C, and failures during and
 * after start-up.
 */
import { describe, expect, it } from 'vitest';
import { exitsWith, FakeWorld, ignoresSigterm, runsForever } from './fakes.js';

describe('ServiceRunner: restart policy', () => {
  it('on-failure: restarts with doubling backoff until the service comes up', async () => {
    const world = new FakeWorld({
      api: {
        restart: 'on-failure',
        program: (child, attempt) => (attempt < 2 ? child.end(1) : child.ready()),
      },
    });
    const done = world.supervisor.run();
    await expect(world.supervisor.allReady.reached).resolves.toBe(true);
    expect(world.spawned('api')).toBe(3);
    expect(world.backoffs).toEqual([500, 1000]);
    expect(world.events.filter((e) => e.type === 'service-restarting')).toEqual([
      {
        type: 'service-restarting',
        service: 'api',
        attempt: 1,
        delayMs: 500,
        exitCode: 1,
        signal: null,
      },
      {
        type: 'service-restarting',
        service: 'api',
        attempt: 2,
        delayMs: 1000,
        exitCode: 1,
        signal: null,
      },
    ]);
    expect(world.runner('api')).toMatchObject({ state: 'ready', restarts: 2, exitCode: null });
    expect(world.runner('api').pid).toBe(world.child('api').pid);
    world.supervisor.requestStop({ kind: 'down' });
    await done;
  });

  it('gives up after max_restarts: the service fails with its last exit', async () => {
    const world = new FakeWorld({
      api: { restart: 'on-failure', max_restarts: 2, program: exitsWith(7) },
    });
    const result = await world.supervisor.run();
    expect(result.exitCode).toBe(1);
    expect(world.spawned('api')).toBe(3);
    expect(world.backoffs).toEqual([500, 1000]);
    expect(world.events.find((e) => e.type === 'service-failed')).toMatchObject({
      service: 'api',
      reason: 'exited with code 7',
    });
    expect(world.runner('api')).toMatchObject({ state: 'failed', restarts: 2, exitCode: 7 });
  });

  it('on-failure does not restart a clean exit; always does', async () => {
    const onFailure = new FakeWorld({
      task: { ready: null, restart: 'on-failure', program: exitsWith(0) },
    });
    await expect(onFailure.supervisor.run()).resolves.toMatchObject({ exitCode: 0 });
    expect(onFailure.spawned('task')).toBe(1);
    expect(onFailure.runner('task').state).toBe('completed');

    const always = new FakeWorld({
      task: { ready: null, restart: 'always', max_restarts: 1, program: exitsWith(0) },
    });
    await expect(always.supervisor.run()).resolves.toMatchObject({ exitCode: 0 });
    expect(always.spawned('task')).toBe(2);
    expect(always.runner('task')).toMatchObject({ state: 'completed', restarts: 1 });
  });

  it('restart: no fails at the first non-zero exit', async () => {
    const world = new FakeWorld({ api: { program: exitsWith(2) } });
    await expect(world.supervisor.run()).resolves.toMatchObject({ exitCode: 1 });
    expect(world.spawned('api')).toBe(1);
    expect(world.backoffs).toEqual([]);
  });
});

describe('ServiceRunner: stopping at every stage', () => {
  it('a stop while the process is being spawned stops the process it yields', async () => {
    const world = new FakeWorld({ api: {} });
    world.holdSpawn('api');
    const done = world.supervisor.run();
    await world.until(() => world.held.has('api'), 'spawn pending');
    world.supervisor.requestStop({ kind: 'signal', signal: 'SIGINT' });
    world.held.get('api')?.release();
    await expect(done).resolves.toEqual({
      exitCode: 130,
      reason: { kind: 'signal', signal: 'SIGINT' },
    });
    expect(world.stops).toEqual(['api SIGTERM']);
    expect(world.child('api').alive).toBe(false);
    expect(world.log('service-ready', 'service-failed')).toEqual([]);
    expect(world.runner('api').state).toBe('stopped');
  });

  it('a stop while waiting for readiness aborts the wait; no failure is reported', async () => {
    const world = new FakeWorld({ api: { program: runsForever } });
    const done = world.supervisor.run();
    await world.until(() => world.spawned('api') === 1, 'api spawned');
    world.supervisor.requestStop({ kind: 'signal', signal: 'SIGTERM' });
    await expect(done).resolves.toMatchObject({ exitCode: 143 });
    expect(world.log('service-ready', 'service-failed', 'service-stopped')).toEqual([
      'service-stopped api',
    ]);
    expect(world.supervisor.allReady.value).toBe(false);
  });

  it('a stop during a restart backoff starts nothing more', async () => {
    const world = new FakeWorld({ api: { restart: 'always', program: exitsWith(1) } });
    const done = world.supervisor.run();
    await world.until(() => world.backoffs.length === 1, 'first backoff');
    world.supervisor.requestStop({ kind: 'down' });
    await expect(done).resolves.toMatchObject({ exitCode: 0 });
    expect(world.spawned('api')).toBeLessThanOrEqual(2);
    expect(world.children.every((c) => !c.alive)).toBe(true);
    expect(world.log('service-failed')).toEqual([]);
  });

  it('a service killed by its stop signal is stopped, not failed, and not restarted', async () => {
    const world = new FakeWorld({ api: { restart: 'always' } });
    const done = world.supervisor.run();
    await world.supervisor.allReady.reached;
    world.supervisor.requestStop({ kind: 'down' });
    await done;
    expect(world.spawned('api')).toBe(1);
    expect(world.runner('api').state).toBe('stopped');
    expect(world.log('service-failed', 'service-restarting')).toEqual([]);
  });

  it('second Ctrl+C: a service ignoring SIGTERM is killed at once, not after its grace', async () => {
    const world = new FakeWorld({
      stubborn: {
        stop_timeout: 60_000,
        program: ignoresSigterm,
      },
      calm: {},
    });
    const done = world.supervisor.run();
    await world.supervisor.allReady.reached;
    world.supervisor.requestStop({ kind: 'signal', signal: 'SIGINT' });
    await world.until(() => world.stops.includes('stubborn SIGTERM'), 'SIGTERM sent');
    expect(world.child('stubborn').alive).toBe(true);
    world.supervisor.requestStop({ kind: 'signal', signal: 'SIGINT' }, true);
    // stubborn's 60 s grace is longer than the test's timeout: it ends only if skipped.
    const result = await done;
    expect(result).toEqual({ exitCode: 130, reason: { kind: 'signal', signal: 'SIGINT' } });
    expect(world.stops).toContain('stubborn SIGKILL!');
    expect(world.child('stubborn').signalCode).toBe('SIGKILL');
    const stopping = world.events.filter((e) => e.type === 'stopping');
    expect(stopping.map((e) => e.type === 'stopping' && e.graceful)).toEqual([true, false]);
    expect(world.log('service-failed')).toEqual([]);
    // A third request changes nothing.
    world.supervisor.requestStop({ kind: 'signal', signal: 'SIGTERM' }, true);
    expect(world.events.filter((e) => e.type === 'stopping')).toHaveLength(2);
  });

  it('a service that ignores its stop signal gets SIGKILL after stop_timeout', async () => {
    const world = new FakeWorld({
      stubborn: {
        stop_timeout: 20,
        program: ignoresSigterm,
      },
    });
    const done = world.supervisor.run();
    await world.supervisor.allReady.reached;
    world.supervisor.requestStop({ kind: 'down' });
    await done;
    expect(world.events.find((e) => e.type === 'service-stopped')).toMatchObject({
      service: 'stubborn',
      forced: true,
    });
  });
});

describe('Supervisor: failures during and after start-up', () => {
  it('during start-up: the session stops, others are stopped, exit 1', async () => {
    const world = new FakeWorld({
      db: {},
      api: { depends_on: { db: 'ready' }, program: exitsWith(1) },
      web: { program: runsForever },
    });
    const result = await world.supervisor.run();
    expect(result).toEqual({ exitCode: 1, reason: { kind: 'failure', service: 'api' } });
    expect(world.stops).toEqual(expect.arrayContaining(['db SIGTERM', 'web SIGTERM']));
    expect(world.log('all-ready')).toEqual([]);
    expect(world.children.every((c) => !c.alive)).toBe(true);
  });

  it('stopServices (down SERVICE) stops only those; the session lives on', async () => {
    const world = new FakeWorld({ db: {}, api: { depends_on: { db: 'ready' } }, web: {} });
    const done = world.supervisor.run();
    await world.supervisor.allReady.reached;
    await world.supervisor.stopServices(['db', 'api']);
    expect(world.stops).toEqual(['api SIGTERM', 'db SIGTERM']);
    expect(world.child('web').alive).toBe(true);
    world.supervisor.requestStop({ kind: 'down' });
    await expect(done).resolves.toMatchObject({ exitCode: 0 });
  });
});
