/**
 * Readiness that explains itself with a real server: the last probe result (`GET / → 500`) in
 * the failure, and once one address family answers, probes go to that one only. `url:` gives a
 * service that is not HTTP the right `S_URL`.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { freePort } from '../../helpers/ports.js';
import { cleanupTracked, survivors } from '../../helpers/processes.js';
import { cli, ensureCliBuilt, nodeFixture, project, removeProjects } from '../sessions/helpers.js';

beforeAll(ensureCliBuilt, 120_000);
vi.setConfig({ testTimeout: 90_000 });

afterEach(async () => {
  await cleanupTracked();
  removeProjects();
});

describe('readiness', () => {
  it('says what the last probe saw and probes only the address that answered', async () => {
    const port = await freePort();
    const p = project({
      services: {
        web: {
          command: nodeFixture('status-server.mjs'),
          port,
          ready: { http: '/', timeout: '3s', interval: '200ms' },
          stop_timeout: '800ms',
        },
      },
    });
    const up = await cli(p, ['up']);
    expect(up.code).toBe(1);
    expect(up.stderr).toMatch(
      /web failed: not ready after 3s \(http \/ on :\d+; last: GET \/ → 500\)/,
    );
    const addresses = up.stdout
      .split('\n')
      .map((l) => /REQ (\S+) \//.exec(l)?.[1])
      .filter((a): a is string => a !== undefined);
    expect(addresses.length).toBeGreaterThan(4);
    // The first round may reach both 127.0.0.1 and ::1; after that, only the one that answered.
    expect(new Set(addresses.slice(2)).size).toBe(1);
    expect(survivors(p.marker)).toEqual([]);
  });

  it('url: gives a service that is not HTTP the right S_URL', async () => {
    const [port, api] = [await freePort(), await freePort()];
    const p = project({
      services: {
        cache: {
          command: nodeFixture('server.mjs'),
          port,
          // biome-ignore lint/suspicious/noTemplateCurlyInString: the manifest syntax itself
          url: 'redis://${HOST}:${PORT}/0',
          ready: { tcp: true },
        },
        api: { command: nodeFixture('server.mjs'), port: api },
      },
    });
    const env = await cli(p, ['run', '--', 'node', '-e', 'console.log(process.env.CACHE_URL)']);
    expect(env.code, env.stderr).toBe(0);
    expect(env.stdout.trim()).toBe(`redis://localhost:${port}/0`);
  });
});
