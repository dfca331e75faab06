/**
 * Names that a plain JavaScript object already answers to (`constructor`, `toString`,
 * `__proto__`, `hasOwnProperty`, `valueOf`) are ordinary names: a dependency on one that does
 * not exist is a manifest error, services named so start and stop like any other, and `up NAME`
 * for one the project lacks is a usage error. Durations a timer cannot wait are manifest errors.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../helpers/ports.js';
import { cleanupTracked, isAlive, survivors } from '../../helpers/processes.js';
import {
  busyPorts,
  cli,
  ensureCliBuilt,
  nodeFixture,
  project,
  removeProjects,
  server,
  startDevlaunch,
  status,
  trackSupervisor,
} from './helpers.js';

beforeAll(ensureCliBuilt, 120_000);

afterEach(async () => {
  await cleanupTracked();
  removeProjects();
});

const ODD = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'] as const;

/** A service's variable prefix: upper-cased, `_` for anything outside A-Z0-9. */
const prefixOf = (name: string) => name.toUpperCase().replace(/[^A-Z0-9]/g, '_');

describe('names inherited from JavaScript objects', () => {
  it('depends_on naming one that is not a service is a located manifest error', async () => {
    const port = await freePort();
    const p = project({
      services: { api: server(port, { depends_on: [...ODD] }) },
    });
    for (const command of [['config'], ['up']]) {
      const r = await cli(p, command);
      expect(r.code, r.stderr).toBe(2);
      for (const name of ODD) {
        expect(r.stderr).toContain(
          `services.api.depends_on.${name}: depends_on names an unknown service "${name}"`,
        );
      }
    }
    expect(survivors(p.marker)).toEqual([]);
    expect(await busyPorts([port])).toEqual([]);
  });

  it('services named so start, see each other, and stop on Ctrl+C and with down NAME', async () => {
    const ports = await Promise.all(ODD.map(() => freePort()));
    // Object.fromEntries: `services.__proto__ = ...` would set the prototype, not a key.
    const services = Object.fromEntries(
      ODD.map((name, i) => [
        name,
        server(ports[i]!, {
          // A chain through every name, and a named port called like an Object member too.
          ...(i > 0 ? { depends_on: [ODD[i - 1]] } : {}),
          ...(name === 'constructor' ? { ports: { toString: 0 } } : {}),
        }),
      ]),
    );
    const p = project({ services });
    // JSON.stringify drops nothing here: __proto__ is an own key of `services`.
    expect(Object.keys(services)).toEqual([...ODD]);

    const up = startDevlaunch(p, ['up']);
    await up.stdout.waitFor(/all services ready/, 20_000);
    const st = await status(p);
    trackSupervisor(st);
    expect(st.services.map((s) => s.name).sort()).toEqual([...ODD].sort());
    expect(st.services.every((s) => s.state === 'ready')).toBe(true);
    const env = await cli(p, ['env', 'valueOf', '--json']);
    expect(env.code, env.stderr).toBe(0);
    const vars = JSON.parse(env.stdout) as Record<string, string>;
    for (const [i, name] of ODD.entries()) {
      expect(vars[`${prefixOf(name)}_PORT`], name).toBe(String(ports[i]));
    }
    expect(vars.CONSTRUCTOR_TOSTRING_PORT).toMatch(/^\d+$/);

    // down NAME: that service and what depends on it (the rest of the chain), nothing else.
    const down = await cli(p, ['down', 'toString']);
    expect(down.code, down.stderr).toBe(0);
    const after = await status(p);
    const state = (n: string) => after.services.find((s) => s.name === n)?.state;
    expect(state('constructor')).toBe('ready');
    for (const name of ODD.slice(1)) expect(state(name), name).toBe('stopped');

    process.kill(-up.pid, 'SIGINT'); // a terminal's Ctrl+C reaches the whole foreground group
    expect(await up.waitForExit(15_000)).toEqual({ code: 130, signal: null });
    expect(survivors(p.marker)).toEqual([]);
    expect(await busyPorts(ports)).toEqual([]);
  });

  it('up, down, logs and env with a name the project lacks: exit 2, nothing started', async () => {
    const port = await freePort();
    const p = project({ services: { api: server(port) } });
    const lines = [
      ...ODD.map((name) => ['up', name]),
      ...['up -d', 'down', 'logs', 'env'].map((c) => [...c.split(' '), 'constructor']),
    ];
    for (const command of lines) {
      const r = await cli(p, command);
      expect(r.code, `${command.join(' ')}: ${r.stdout}${r.stderr}`).toBe(2);
      expect(r.stderr).toContain(`no service named ${command.at(-1)}`);
    }
    expect(survivors(p.marker)).toEqual([]);
    expect(await busyPorts([port])).toEqual([]);
  });

  it('up -d and down with a service named __proto__ (a key JSON and YAML treat specially)', async () => {
    const port = await freePort();
    const p = project({ services: { ['__proto__']: server(port) } });
    const up = await cli(p, ['up', '-d']);
    expect(up.code, up.stderr).toBe(0);
    const st = await status(p);
    trackSupervisor(st);
    expect(st.services.map((s) => [s.name, s.state, s.ports])).toEqual([
      ['__proto__', 'ready', { primary: port }],
    ]);
    const pid = st.services[0]!.pid!;
    const down = await cli(p, ['down']);
    expect(down.code, down.stderr).toBe(0);
    expect(isAlive(pid)).toBe(false);
    expect(survivors(p.marker)).toEqual([]);
  });
});

describe('durations a timer cannot wait', () => {
  it('every duration key over 24 days is a located manifest error; nothing starts', async () => {
    const port = await freePort();
    const p = project({
      stop_timeout: '600h',
      services: {
        api: {
          command: nodeFixture('server.mjs'),
          port,
          stop_timeout: 99_999_999,
          ready: { http: '/health', timeout: '99999999', interval: '600h' },
        },
      },
    });
    const r = await cli(p, ['up']);
    expect(r.code, r.stderr).toBe(2);
    for (const key of [
      'stop_timeout',
      'services.api.stop_timeout',
      'services.api.ready.timeout',
      'services.api.ready.interval',
    ]) {
      expect(r.stderr).toMatch(
        new RegExp(`launcher\\.yaml:\\d+:\\d+ error ${key.replaceAll('.', '\\.')}: .*over 24 days`),
      );
    }
    expect(r.stderr).not.toContain('TimeoutOverflowWarning');
    expect(survivors(p.marker)).toEqual([]);
    expect(await busyPorts([port])).toEqual([]);
  });

  it('a duration of 24 days is accepted and waited for, not fired at once', async () => {
    const port = await freePort();
    const p = project({
      services: {
        api: server(port, { stop_timeout: '576h', ready: { http: '/health', timeout: '576h' } }),
      },
    });
    const up = await cli(p, ['up', '-d']);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stderr).not.toContain('TimeoutOverflowWarning');
    trackSupervisor(await status(p));
    const down = await cli(p, ['down']);
    expect(down.code, down.stderr).toBe(0);
    expect(survivors(p.marker)).toEqual([]);
  });
});
