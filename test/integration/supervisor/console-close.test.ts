/**
 * A closing Windows console (SIGHUP there) leaves about 5 s: every service is stopped at once,
 * not in reverse dependency order. Elsewhere, SIGHUP stops in order as any signal does.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FakeWorld, ignoresSigterm } from './fakes.js';

const realPlatform = process.platform;
const setPlatform = (value: NodeJS.Platform) =>
  Object.defineProperty(process, 'platform', { value, configurable: true });

/**
 * Both services ignore SIGTERM, so each stop lasts its whole grace: api's is long enough that
 * no pause of a loaded machine between two checks can outlast it.
 */
function world(apiGrace: number, dbGrace = apiGrace) {
  return new FakeWorld({
    db: { program: ignoresSigterm, stop_timeout: dbGrace },
    api: { program: ignoresSigterm, stop_timeout: apiGrace, depends_on: { db: 'ready' } },
  });
}

describe('Supervisor: console close', () => {
  afterEach(() => setPlatform(realPlatform));

  it('on Windows, SIGHUP stops every service at once', async () => {
    setPlatform('win32');
    const w = world(60_000);
    const done = w.supervisor.run();
    await w.until(() => w.supervisor.allReady.settled, 'all ready');
    w.supervisor.requestStop({ kind: 'signal', signal: 'SIGHUP' });
    await w.until(() => w.stops.length === 2, 'both stops begun');
    // Both began within api's grace (60 s, longer than the test may run): db did not wait for
    // its dependent.
    expect(w.log('service-stopped')).toEqual([]);
    expect([...w.stops].sort()).toEqual(['api SIGTERM', 'db SIGTERM']);
    // A second signal forces the stop, so the test need not wait out the grace.
    w.supervisor.requestStop({ kind: 'signal', signal: 'SIGHUP' }, true);
    await done;
  });

  it('elsewhere, SIGHUP stops dependents first', async () => {
    setPlatform('linux');
    const w = world(1000, 300);
    const done = w.supervisor.run();
    await w.until(() => w.supervisor.allReady.settled, 'all ready');
    w.supervisor.requestStop({ kind: 'signal', signal: 'SIGHUP' });
    await w.until(() => w.stops.length === 1, 'first stop begun');
    // Deliberately let some turns pass, well within api's 1 s grace: db is not stopped yet.
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    expect(w.stops).toEqual(['api SIGTERM']);
    await done;
    expect(w.stops).toEqual(['api SIGTERM', 'db SIGTERM']);
  });
});
