// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests are about ${} syntax
/**
 * The environment check of a large manifest does work in proportion to its services: each
 * service's references are looked up through the layers, never by building its environment,
 * which holds every service's variables (a check of n services would then cost n²). The work is
 * counted here, not timed.
 */
import { describe, expect, it } from 'vitest';
import { envProblems } from '../../../src/env/check.js';
import type { Manifest } from '../../../src/manifest/types.js';
import { manifest } from '../../helpers/manifest.js';

/** `count` services, each with a port and an env value using the previous service's URL. */
function chain(count: number): Manifest {
  const services: Parameters<typeof manifest>[0] = {};
  for (let i = 0; i < count; i++) {
    services[`s${i}`] = {
      port: 10_000 + i,
      env: { UP: `\${S${Math.max(0, i - 1)}_URL}`, MODE: 'dev' },
      command: 'serve --port ${PORT}',
    };
  }
  return manifest(services, { env: { LOG: 'x-${PORT}' } });
}

/** `target` whose own keys are listed through `count`: a whole-map copy or walk lists them. */
function counted<T extends object>(target: T, count: { lists: number }): T {
  return new Proxy(target, {
    ownKeys: (t) => {
      count.lists++;
      return Reflect.ownKeys(t);
    },
  });
}

describe('envProblems on many services', () => {
  it('walks the services a fixed number of times, not once per service', () => {
    const walks = { lists: 0 };
    const m = chain(2000);
    const check = { ...m, services: counted(m.services, walks) };
    expect(envProblems(check, {})).toEqual([]);
    // Each rule walks the services once; a walk per service would be thousands.
    expect(walks.lists).toBeLessThan(10);
  });

  it("never copies devlaunch's environment for a service", () => {
    const copies = { lists: 0 };
    const processEnv = counted({ HOME: '/home/me', PATH: '/bin' }, copies);
    expect(envProblems(chain(2000), processEnv)).toEqual([]);
    expect(copies.lists).toBe(0);
  });

  it('finds a missing reference among 20,000 services, as it does among two', () => {
    const m = chain(20_000);
    const last = m.services.s19999 as Manifest['services'][string];
    last.env = { ...last.env, BAD: '${NOPE}' };
    expect(envProblems(m, {})).toEqual([
      {
        path: ['services', 's19999', 'env', 'BAD'],
        message: '${NOPE} has no value',
        found: '${NOPE}',
        hint: 'set NOPE in env:, in an env_file such as .env, or give a default: ${NOPE:-value}',
      },
    ]);
  });
});
