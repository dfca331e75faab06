import { basename } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { check, cleanProjects, valid, yaml } from './helpers.js';

afterAll(cleanProjects);

describe('normalisation', () => {
  it('fills every default', () => {
    const m = valid('services:\n  web:\n    command: node server.js\n');
    expect(m.name).toBe(basename(m.root));
    expect(m.file).toBe(`${m.root}/launcher.yaml`);
    expect(m).toMatchObject({ env_file: [], env: {}, port_range: null, stop_timeout: 5000 });
    expect(m.services.web).toEqual({
      name: 'web',
      command: 'node server.js',
      cwd: m.root,
      port: null,
      ports: {},
      host: 'localhost',
      env: {},
      env_file: [],
      depends_on: {},
      ready: null,
      on_conflict: null,
      stop_signal: 'SIGTERM',
      stop_timeout: 5000,
      restart: 'no',
      max_restarts: 3,
      open: null,
      url: null,
    });
  });

  it('gives a service with a port (or only named ports) a tcp readiness check', () => {
    const m = valid(
      'services:\n  a:\n    command: x\n    port: 8000\n  b:\n    command: y\n    ports: { debug: 9229 }\n',
    );
    expect(m.services.a?.ready).toEqual({ tcp: true, timeout: 60_000, interval: 500 });
    expect(m.services.b?.ready).toEqual({ tcp: true, timeout: 60_000, interval: 500 });
  });

  it('turns 0 and auto into auto', () => {
    const m = valid(
      'services:\n  a:\n    command: x\n    port: 0\n    ports: { debug: auto, admin: 0 }\n',
    );
    expect(m.services.a?.port).toBe('auto');
    expect(m.services.a?.ports).toEqual({ debug: 'auto', admin: 'auto' });
  });

  it('converts durations to ms and inherits the top-level stop_timeout', () => {
    const m = valid(
      yaml(`
        stop_timeout: 2s
        services:
          a:
            command: x
            ready: { http: /health, timeout: 1m, interval: 250ms }
          b:
            command: y
            stop_timeout: 1.5
      `),
    );
    expect(m.stop_timeout).toBe(2000);
    expect(m.services.a?.stop_timeout).toBe(2000);
    expect(m.services.b?.stop_timeout).toBe(1500);
    expect(m.services.a?.ready).toEqual({ http: '/health', timeout: 60_000, interval: 250 });
  });

  it('turns a depends_on list into a map of ready', () => {
    const m = valid(
      'services:\n  db:\n    command: x\n  mig:\n    command: y\n  web:\n    command: z\n    depends_on: [db, mig]\n  api:\n    command: w\n    depends_on: { mig: completed }\n',
    );
    expect(m.services.web?.depends_on).toEqual({ db: 'ready', mig: 'ready' });
    expect(m.services.api?.depends_on).toEqual({ mig: 'completed' });
  });

  it('makes paths absolute from the project root', () => {
    const m = valid(
      'env_file: [.env]\nservices:\n  web:\n    command: x\n    cwd: app\n    env_file: app/.env\n',
      { '.env': '', 'app/.env': '' },
    );
    expect(m.env_file).toEqual([`${m.root}/.env`]);
    expect(m.services.web?.cwd).toBe(`${m.root}/app`);
    expect(m.services.web?.env_file).toEqual([`${m.root}/app/.env`]);
  });

  it('normalises signals, env values, port_range and keeps list commands', () => {
    const m = valid(
      yaml(`
        name: shop
        port_range: 8000 - 8999
        env: { DEBUG: true, WORKERS: 4, NAME: x }
        services:
          web:
            command: [node, server.js]
            stop_signal: int
            on_conflict: remap
            restart: on-failure
            max_restarts: 0
            host: 127.0.0.1
            open: /docs
            ready: { log: "listening on \\\\d+" }
      `),
    );
    expect(m.name).toBe('shop');
    expect(m.port_range).toEqual({ from: 8000, to: 8999 });
    expect(m.env).toEqual({ DEBUG: 'true', WORKERS: '4', NAME: 'x' });
    expect(m.services.web).toMatchObject({
      command: ['node', 'server.js'],
      stop_signal: 'SIGINT',
      on_conflict: 'remap',
      restart: 'on-failure',
      max_restarts: 0,
      host: '127.0.0.1',
      open: '/docs',
      ready: { log: 'listening on \\d+', timeout: 60_000, interval: 500 },
    });
  });

  it('accepts port_range as { from, to }', () => {
    const m = valid('port_range: { from: 3000, to: 3999 }\nservices: {}\n');
    expect(m.port_range).toEqual({ from: 3000, to: 3999 });
  });

  // biome-ignore lint/suspicious/noTemplateCurlyInString: the manifest syntax itself
  it('resolves ${VAR} from the environment it is given', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the manifest syntax itself
    const text = 'services:\n  web:\n    command: x\n    env: { DB: "${DL_TEST_DB}" }\n';
    expect(check(text, {}, { DL_TEST_DB: 'postgres://x' }).ok).toBe(true);
    expect(check(text, {}, {}).ok).toBe(false);
  });
});
