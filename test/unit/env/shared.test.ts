// biome-ignore-all lint/suspicious/noTemplateCurlyInString: environments with ${} values
import { describe, expect, it } from 'vitest';
import { dict } from '../../../src/dict.js';
import { EnvStore, type ResolvedPorts, serviceEnvironment } from '../../../src/env/index.js';
import { manifest } from '../../helpers/manifest.js';

const entries = (env: Record<string, string>) => Object.entries(env);

describe('EnvStore', () => {
  it("gives back each service's environment, in the order it was built", () => {
    const m = manifest(
      {
        web: { port: 3000, env: { API: '${API_URL}' } },
        api: { port: 8000 },
        worker: {},
      },
      { env: { LOG: 'debug', SELF: 'http://localhost:${PORT:-none}' } },
    );
    const ports: ResolvedPorts = {
      web: { primary: 3000, named: {} },
      api: { primary: 8000, named: {} },
      worker: { primary: null, named: {} },
    };
    const processEnv = { PATH: '/usr/bin', HOME: '/home/me', LANG: 'C' };
    const store = new EnvStore();
    const built = ['web', 'api', 'worker'].map(
      (service) =>
        serviceEnvironment({
          manifest: m,
          service,
          ports,
          processEnv,
          dotenv: {},
          session: 's-1',
          platform: 'linux',
        }).env,
    );
    const kept = built.map((env) => store.keep(env));
    for (const [i, env] of built.entries()) {
      expect(entries(kept[i]!())).toEqual(entries(env));
    }
    // The worker has no port: PORT, which the first service has, is not in its environment.
    expect(Object.hasOwn(kept[2]!(), 'PORT')).toBe(false);
    expect(kept[2]!().API_URL).toBe('http://localhost:8000');
  });

  it('holds a copy: changing a kept map, or a map built from it, changes nothing kept', () => {
    const store = new EnvStore();
    const first = { A: '1', B: '2' };
    const second = { A: '1', B: '3', C: '4' };
    const keptFirst = store.keep(first);
    const keptSecond = store.keep(second);
    first.A = 'changed';
    second.C = 'changed';
    const built = keptSecond();
    built.B = 'changed';
    expect(keptFirst()).toEqual({ A: '1', B: '2' });
    expect(keptSecond()).toEqual({ A: '1', B: '3', C: '4' });
    expect(keptSecond()).not.toBe(keptSecond());
  });

  it('keeps names only one map has, other spellings of a name, and __proto__', () => {
    const store = new EnvStore();
    const first = dict([
      ['Path', 'C:\\Windows'],
      ['__proto__', 'x'],
      ['ONLY_FIRST', '1'],
    ]);
    const second = dict([
      ['PATH', 'C:\\Windows'],
      ['__proto__', 'y'],
    ]);
    const keptFirst = store.keep(first);
    const keptSecond = store.keep(second);
    expect(entries(keptFirst())).toEqual(entries(first));
    const built = keptSecond();
    expect(Object.getPrototypeOf(built)).toBeNull();
    expect(Object.keys(built).sort()).toEqual(['PATH', '__proto__']);
    expect(Object.getOwnPropertyDescriptor(built, '__proto__')?.value).toBe('y');
  });

  it('gives back random maps exactly (names and values as sets)', () => {
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const store = new EnvStore();
    const maps = Array.from({ length: 50 }, () => {
      const map = dict<string>();
      for (let k = 0; k < 30; k++) if (random(3) > 0) map[`V${k}`] = String(random(4));
      return map;
    });
    const kept = maps.map((map) => store.keep(map));
    for (const [i, map] of maps.entries()) {
      expect(kept[i]!()).toEqual(map);
      expect(Object.keys(kept[i]!()).sort()).toEqual(Object.keys(map).sort());
    }
  });
});
