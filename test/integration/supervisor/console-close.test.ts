/**
 * A closing Windows console (SIGHUP there) leaves about 5 s: every service is stopped at once,
 * not in reverse dependency order. Elsewhere, SIGHUP stops in order as any signal does.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FakeWorld, ignoresSigterm } from './fakes.js';

const realPlatform = process.platform;
const setPlatform = (value: NodeJS.Platform) =>
  Object.defineProperty(process, 'platform', { value, configurable: true });

function world() {
  return new FakeWorld({
    db: { program: ignoresSigterm, stop_timeout: 300 },
    api: { program: ignoresSigterm, stop_timeout: 300, depends_on: { db: 'ready' } },
  });
}

describe('Supervisor: console close', () => {
  afterEach(() => setPlatform(realPlatform));

  it('on Windows, SIGHUP stops every service at once', async () => {
    setPlatform('win32');
    const w = world();
    const done = w.supervisor.run();
    await w.until(() => w.supervisor.allReady.settled, 'all ready');
    w.supervisor.requestStop({ kind: 'signal', signal: 'SIGHUP' });
    await w.until(() => w.stops.length === 2, 'both stops begun');
    // Both began before api's grace (300 ms) ended: db did not wait for its dependent.
    expect(w.log('service-stopped')).toEqual([]);
    expect(w.stops.sort()).toEqual(['api SIGTERM', 'db SIGTERM']);
    await done;
  });

  it('elsewhere, SIGHUP stops dependents first', async () => {
    setPlatform('linux');
    const w = world();
    const done = w.supervisor.run();
    await w.until(() => w.supervisor.allReady.settled, 'all ready');
    w.supervisor.requestStop({ kind: 'signal', signal: 'SIGHUP' });
    await w.until(() => w.stops.length === 1, 'first stop begun');
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    expect(w.stops).toEqual(['api SIGTERM']);
    await done;
    expect(w.stops).toEqual(['api SIGTERM', 'db SIGTERM']);
  });
});
