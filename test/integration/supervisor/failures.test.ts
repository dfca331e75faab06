/**
 * Failures after start-up: the failed service is reported with `devlaunch restart NAME`, the
 * others keep running, and the session ends by itself once nothing is left running. With
 * `exitOnFailure` (`--exit-on-failure`, and `run`) the first failure stops everything.
 */
import { describe, expect, it } from 'vitest';
import { FakeWorld } from './fakes.js';

describe('Supervisor: a failure after start-up', () => {
  it('is reported; the others keep running', async () => {
    const world = new FakeWorld({ db: {}, api: { depends_on: { db: 'ready' } }, web: {} });
    const done = world.supervisor.run();
    await world.supervisor.allReady.reached;
    world.child('api').print('TypeError: boom');
    world.child('api').end(1);
    await world.until(() => world.runner('api').state === 'failed', 'api failed');
    expect(world.events.find((e) => e.type === 'service-failed')).toEqual({
      type: 'service-failed',
      service: 'api',
      reason: 'exited with code 1',
      lastLines: ['TypeError: boom'],
    });
    expect(world.events.find((e) => e.type === 'message')).toMatchObject({
      level: 'warn',
      text: 'api failed after start-up; the other services keep running',
      hint: 'devlaunch restart api starts it again.',
    });
    // Give a stop every chance to happen: none does.
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    expect(world.log('stopping')).toEqual([]);
    expect(world.child('db').alive).toBe(true);
    expect(world.child('web').alive).toBe(true);
    expect(world.stops).toEqual([]);
    world.supervisor.requestStop({ kind: 'signal', signal: 'SIGINT' });
    await expect(done).resolves.toMatchObject({ exitCode: 130 });
  });

  it('the session ends by itself once nothing is left running: exit 1 if any failed', async () => {
    const world = new FakeWorld({ db: {}, task: { ready: null } });
    const done = world.supervisor.run();
    await world.supervisor.allReady.reached;
    world.child('db').end(2);
    world.child('task').end(0);
    await expect(done).resolves.toEqual({ exitCode: 1, reason: { kind: 'finished' } });
    expect(world.runner('db')).toMatchObject({ state: 'failed', exitCode: 2, pid: null });
    expect(world.runner('task').state).toBe('completed');
    // An ended service still says when its last run started (status --json's startedAt).
    for (const name of ['db', 'task']) {
      expect(world.runner(name).snapshot().startedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    }
  });

  it('a service that restarts and is then never ready is taken down; the rest runs on', async () => {
    const world = new FakeWorld({
      api: {
        restart: 'on-failure',
        program: (child, attempt) => (attempt === 0 ? child.ready() : child.notReadyInTime()),
      },
      web: {},
    });
    const done = world.supervisor.run();
    await world.supervisor.allReady.reached;
    world.child('api').end(1);
    await world.until(() => world.runner('api').current.kind === 'failed', 'api failed');
    await world.until(() => world.runner('api').pid === null, 'api taken down');
    expect(world.spawned('api')).toBe(2);
    expect(world.child('api').alive).toBe(false);
    expect(world.stops).toEqual(['api SIGTERM']);
    expect(world.runner('api').state).toBe('failed');
    expect(world.child('web').alive).toBe(true);
    world.supervisor.requestStop({ kind: 'down' });
    await expect(done).resolves.toMatchObject({ exitCode: 0 });
  });

  it('with exitOnFailure, stops every service: exit 1', async () => {
    const world = new FakeWorld(
      { db: {}, api: { depends_on: { db: 'ready' } } },
      { exitOnFailure: true },
    );
    const done = world.supervisor.run();
    await world.supervisor.allReady.reached;
    world.child('api').end(1);
    await expect(done).resolves.toEqual({
      exitCode: 1,
      reason: { kind: 'failure', service: 'api' },
    });
    expect(world.stops).toContain('db SIGTERM');
    expect(world.log('message')).toEqual([]);
  });

  it('a failure during start-up still stops the session, without exitOnFailure', async () => {
    const world = new FakeWorld({
      db: {},
      api: { depends_on: { db: 'ready' }, program: (child) => child.end(1) },
    });
    await expect(world.supervisor.run()).resolves.toMatchObject({ exitCode: 1 });
    expect(world.stops).toContain('db SIGTERM');
  });
});

describe('ServiceRunner: listening on the wrong port', () => {
  it('says so while waiting, long before the readiness timeout, once', async () => {
    const world = new FakeWorld({
      backend: { ports: { primary: 8000 }, program: (child) => child.listening.push(5173) },
    });
    const done = world.supervisor.run();
    await world.until(() => world.log('message').length > 0, 'the hint');
    expect(world.events.filter((e) => e.type === 'message')).toEqual([
      {
        type: 'message',
        level: 'warn',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal text devlaunch prints
        text: 'backend listens on 5173, not on PORT=8000: does its command use ${PORT}?',
        hint: expect.stringContaining('BACKEND_PORT'),
      },
    ]);
    expect(world.runner('backend').state).toBe('starting');
    world.supervisor.requestStop({ kind: 'down' });
    await done;
  });

  it('says nothing when it listens on its own port (and others)', async () => {
    const world = new FakeWorld({
      backend: {
        ports: { primary: 8000, debug: 9229 },
        program: (child) => child.listening.push(9229, 8000, 35729),
      },
    });
    const done = world.supervisor.run();
    await world.until(() => world.portLookups >= 2, 'two looks at its ports');
    expect(world.log('message')).toEqual([]);
    world.supervisor.requestStop({ kind: 'down' });
    await done;
  });

  it('says nothing about a port opened just before its own (a debugger)', async () => {
    const world = new FakeWorld({
      backend: {
        ports: { primary: 8000 },
        program: (child) => child.nextListening.push([9229], [9229, 8000]),
      },
    });
    const done = world.supervisor.run();
    await world.until(() => world.portLookups >= 4, 'four looks at its ports');
    expect(world.log('message')).toEqual([]);
    world.supervisor.requestStop({ kind: 'down' });
    await done;
  });
});
