/**
 * A service whose process exits 0 leaving a daemon on its port (`redis-server --daemonize
 * yes`, `pg_ctl start`): the daemon is followed as the service's process — the service is
 * ready while the daemon serves, the session goes on, and a stop stops the daemon. Without a
 * daemon, an exit 0 still completes the service.
 */
import { describe, expect, it } from 'vitest';
import { becomesReady, exitsWith, FakeWorld } from './fakes.js';

describe('ServiceRunner: a service that daemonizes', () => {
  it('is ready as its daemon, keeps the session going, and stops the daemon', async () => {
    const world = new FakeWorld({
      cache: { ports: { primary: 6379 }, program: exitsWith(0), daemon: becomesReady },
      web: {},
    });
    const done = world.supervisor.run();
    await world.supervisor.allReady.reached;
    const [launcher, daemon] = world.children.filter((c) => c.service === 'cache');
    expect(launcher?.alive).toBe(false);
    expect(daemon?.alive).toBe(true);
    const cache = world.runner('cache');
    expect(cache.state).toBe('ready');
    expect(cache.pid).toBe(daemon?.pid);
    // Exit 0 while starting: the daemon may bind a moment after its launcher exits.
    expect(world.daemonLooks).toEqual([{ service: 'cache', pid: launcher?.pid, waitMs: 2000 }]);
    expect(world.events).toContainEqual(
      expect.objectContaining({
        type: 'message',
        level: 'info',
        text: expect.stringContaining(`cache daemonized: pid ${daemon?.pid}`),
      }),
    );
    expect(world.log('service-completed', 'service-failed')).toEqual([]);

    world.supervisor.requestStop({ kind: 'signal', signal: 'SIGINT' });
    await expect(done).resolves.toMatchObject({ exitCode: 130 });
    expect(daemon?.alive).toBe(false);
    expect(world.stops).toContain('cache SIGTERM');
  });

  it('fails when the daemon ends by itself, as a process that exited would', async () => {
    const world = new FakeWorld({
      cache: { ports: { primary: 6379 }, program: exitsWith(0), daemon: becomesReady },
      web: {},
    });
    const done = world.supervisor.run();
    await world.supervisor.allReady.reached;
    world.child('cache').end(1);
    await world.until(() => world.runner('cache').state === 'failed', 'cache failed');
    expect(world.child('web').alive).toBe(true);
    world.supervisor.requestStop({ kind: 'signal', signal: 'SIGINT' });
    await done;
  });

  it('ready before its launcher exits: stays ready as the daemon, with no second ready', async () => {
    const world = new FakeWorld({
      cache: { ports: { primary: 6379 }, daemon: becomesReady },
      web: {},
    });
    const done = world.supervisor.run();
    await world.supervisor.allReady.reached;
    world.child('cache').end(0);
    await world.until(() => world.spawned('cache') === 2, 'the daemon to be followed');
    const daemon = world.child('cache');
    await world.until(() => world.runner('cache').pid === daemon.pid, 'cache to be its daemon');
    expect(world.runner('cache').state).toBe('ready');
    expect(world.log('service-ready').filter((e) => e === 'service-ready cache')).toHaveLength(1);
    expect(world.daemonLooks).toMatchObject([{ service: 'cache', waitMs: 0 }]);
    world.supervisor.requestStop({ kind: 'signal', signal: 'SIGINT' });
    await done;
    expect(daemon.alive).toBe(false);
  });

  it('a ready service that exits 0 is looked at once, without waiting', async () => {
    const world = new FakeWorld({ api: { ports: { primary: 8000 } }, web: {} });
    const done = world.supervisor.run();
    await world.supervisor.allReady.reached;
    world.child('api').end(0);
    await world.until(() => world.runner('api').state === 'completed', 'api completed');
    expect(world.daemonLooks).toEqual([{ service: 'api', pid: world.child('api').pid, waitMs: 0 }]);
    world.supervisor.requestStop({ kind: 'signal', signal: 'SIGINT' });
    await done;
  });

  it('no port, or an exit other than 0: no daemon is looked for', async () => {
    const world = new FakeWorld({
      task: { ready: null, program: exitsWith(0), daemon: becomesReady },
      api: { ports: { primary: 8000 }, program: exitsWith(3), daemon: becomesReady },
    });
    const done = world.supervisor.run();
    await world.until(() => world.runner('api').state === 'failed', 'api failed');
    await world.until(() => world.runner('task').state === 'completed', 'task completed');
    expect(world.daemonLooks).toEqual([]);
    await done;
  });
});
