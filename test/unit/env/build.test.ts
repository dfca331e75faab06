// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests are about ${} syntax
import { describe, expect, it } from 'vitest';
import {
  commandEnvironment,
  type ResolvedPorts,
  type ServiceEnvInput,
  serviceEnvironment,
} from '../../../src/env/index.js';
import { DevlaunchError } from '../../../src/errors.js';
import { manifest } from '../../helpers/manifest.js';

const ports: ResolvedPorts = {
  backend: { primary: 8001, named: { debug: 9229 } },
  'auth-api': { primary: 8081, named: {} },
  migrate: { primary: null, named: {} },
};

function input(
  over: Partial<ServiceEnvInput> & Pick<ServiceEnvInput, 'manifest'>,
): ServiceEnvInput {
  return {
    service: 'backend',
    ports,
    processEnv: {},
    dotenv: {},
    session: 's-1',
    platform: 'linux',
    ...over,
  };
}

describe('serviceEnvironment: layering', () => {
  // One variable per boundary: each is set by a layer and by every layer above it but one,
  // so the expected source of each proves one step of the order.
  const m = manifest(
    {
      backend: {
        port: 8000,
        env_file: ['/p/backend.env'],
        env: { L5: 'service', INJ: 'service' },
      },
      'auth-api': { port: 8081 },
      migrate: {},
    },
    {
      env_file: ['/p/.env', '/p/.env.local'],
      env: { L4: 'global', L5: 'global' },
    },
  );
  const dotenv = {
    '/p/.env': {
      L0: 'global-file',
      L1: 'global-file',
      L1b: 'global-file',
      PORT: '1',
      BACKEND_URL: 'x',
    },
    '/p/.env.local': { L1b: 'global-file-2' },
    '/p/backend.env': { L1: 'service-file', L2: 'service-file' },
  };
  const processEnv = { L2: 'shell', L3: 'shell', L4: 'shell', HOME: '/home/u', GONE: undefined };
  const { env } = serviceEnvironment(input({ manifest: m, dotenv, processEnv }));

  it('stacks dotenv files < service dotenv < shell < global env < service env', () => {
    expect(env).toMatchObject({
      L0: 'global-file',
      L1b: 'global-file-2',
      L1: 'service-file',
      L2: 'shell',
      L3: 'shell',
      L4: 'global',
      L5: 'service',
      HOME: '/home/u',
    });
    expect('GONE' in env).toBe(false);
  });

  it('puts the injected variables on top, over a dotenv file that sets them', () => {
    expect(env).toMatchObject({
      PORT: '8001',
      HOST: 'localhost',
      BACKEND_URL: 'http://localhost:8001',
      BACKEND_DEBUG_PORT: '9229',
      AUTH_API_URL: 'http://localhost:8081',
      MIGRATE_HOST: 'localhost',
      DEVLAUNCH: '1',
      DEVLAUNCH_SERVICE: 'backend',
      DEVLAUNCH_PROJECT: 'shop',
      DEVLAUNCH_SESSION: 's-1',
    });
  });

  it('gives a service without a port no PORT, but HOST and every S_* variable', () => {
    const r = serviceEnvironment(input({ manifest: m, service: 'migrate', processEnv: {} }));
    expect('PORT' in r.env).toBe(false);
    expect(r.env).toMatchObject({
      HOST: 'localhost',
      BACKEND_PORT: '8001',
      DEVLAUNCH_SERVICE: 'migrate',
    });
  });

  it('uses the service host for HOST and in URLs', () => {
    const hosted = manifest({ backend: { port: 8000, host: '127.0.0.1' } });
    const r = serviceEnvironment(input({ manifest: hosted }));
    expect(r.env.HOST).toBe('127.0.0.1');
    expect(r.env.BACKEND_URL).toBe('http://127.0.0.1:8001');
  });

  it('does not read the shell PORT over the real one', () => {
    const r = serviceEnvironment(input({ manifest: m, processEnv: { PORT: '3000' } }));
    expect(r.env.PORT).toBe('8001');
  });

  it('counts a dotenv file the caller did not load as empty', () => {
    const r = serviceEnvironment(input({ manifest: m, dotenv: {} }));
    expect(r.env.L0).toBeUndefined();
  });
});

describe('serviceEnvironment: expansion', () => {
  it('expands ${PORT} in the global env to each service its own port', () => {
    const m = manifest(
      { backend: { port: 8000 }, 'auth-api': { port: 8081 } },
      { env: { SELF: 'http://localhost:${PORT}' } },
    );
    expect(serviceEnvironment(input({ manifest: m })).env.SELF).toBe('http://localhost:8001');
    expect(serviceEnvironment(input({ manifest: m, service: 'auth-api' })).env.SELF).toBe(
      'http://localhost:8081',
    );
  });

  it('expands env values against lower layers and injected variables', () => {
    const m = manifest(
      {
        backend: {
          port: 8000,
          env_file: ['/p/b.env'],
          env: {
            FROM_FILE: '${SECRET}',
            FROM_SHELL: '${HOME}/x',
            FROM_GLOBAL: '${G}!',
            OTHER: '${AUTH_API_URL}/login',
            EXTEND: '${G}-more',
          },
        },
        'auth-api': { port: 8081 },
      },
      { env: { G: 'g:${USER}' } },
    );
    const r = serviceEnvironment(
      input({
        manifest: m,
        dotenv: { '/p/b.env': { SECRET: 's3' } },
        processEnv: { HOME: '/h', USER: 'u' },
      }),
    );
    expect(r.env).toMatchObject({
      G: 'g:u',
      FROM_FILE: 's3',
      FROM_SHELL: '/h/x',
      FROM_GLOBAL: 'g:u!',
      OTHER: 'http://localhost:8081/login',
      EXTEND: 'g:u-more',
    });
  });

  it('lets a service value build on the global value of the same name', () => {
    const m = manifest(
      { backend: { env: { FLAGS: '${FLAGS} --debug' } } },
      { env: { FLAGS: '-v' } },
    );
    expect(serviceEnvironment(input({ manifest: m })).env.FLAGS).toBe('-v --debug');
  });

  it('does not let a value refer to a sibling in the same env map', () => {
    const m = manifest({ backend: { env: { A: 'a', B: '${A:-lower}' } } });
    expect(serviceEnvironment(input({ manifest: m })).env.B).toBe('lower');
  });

  it('does not re-expand values read from dotenv files', () => {
    const m = manifest({ backend: { env_file: ['/p/e'] } });
    const r = serviceEnvironment(input({ manifest: m, dotenv: { '/p/e': { RAW: '${HOME}$$' } } }));
    expect(r.env.RAW).toBe('${HOME}$$');
  });

  it('expands a string command against the complete environment', () => {
    const m = manifest(
      {
        backend: {
          port: 8000,
          command: 'serve --port ${PORT} --api ${API} --x $$ $SHELLVAR ${NOPE:-d}',
        },
      },
      { env: { API: '${BACKEND_URL}/api' } },
    );
    expect(serviceEnvironment(input({ manifest: m })).command).toBe(
      'serve --port 8001 --api http://localhost:8001/api --x $ $SHELLVAR d',
    );
  });

  it('expands each element of a list command', () => {
    const m = manifest({
      backend: { port: 8000, command: ['node', 'x.js', '--port=${PORT}', '$${PORT}'] },
    });
    expect(serviceEnvironment(input({ manifest: m })).command).toEqual([
      'node',
      'x.js',
      '--port=8001',
      '${PORT}',
    ]);
  });

  it('keeps defaults: unset or empty with :-', () => {
    const m = manifest({ backend: { env: { A: '${E:-d}', B: '${U:-d}', C: '${E-d}' } } });
    const r = serviceEnvironment(input({ manifest: m, processEnv: { E: '' } }));
    expect(r.env).toMatchObject({ A: 'd', B: 'd', C: '' });
  });

  it('throws MANIFEST_INVALID for a ${VAR} with no value and no default', () => {
    const m = manifest({ backend: { env: { X: '${NOPE}' } } });
    expect(() => serviceEnvironment(input({ manifest: m }))).toThrow(DevlaunchError);
    try {
      serviceEnvironment(input({ manifest: m }));
    } catch (error) {
      expect(error).toMatchObject({ code: 'MANIFEST_INVALID' });
      expect((error as DevlaunchError).message).toContain('${NOPE}');
      expect((error as DevlaunchError).hint).toContain('${NOPE:-value}');
    }
  });

  it('throws for ${PORT} in a service without a port', () => {
    const m = manifest({ migrate: { command: 'x ${PORT}' } });
    expect(() => serviceEnvironment(input({ manifest: m, service: 'migrate' }))).toThrow(/PORT/);
  });

  it('ignores an unresolvable global value the service replaces', () => {
    const m = manifest(
      { migrate: { env: { API: 'none' } } },
      { env: { API: 'http://localhost:${PORT}' } },
    );
    expect(serviceEnvironment(input({ manifest: m, service: 'migrate' })).env.API).toBe('none');
  });
});

describe('serviceEnvironment on win32', () => {
  it('merges names ignoring case, the latest spelling kept', () => {
    const m = manifest({ backend: { port: 8000, env: { PATH: 'C:\\svc;${Path}' } } });
    const r = serviceEnvironment(
      input({
        manifest: m,
        platform: 'win32',
        processEnv: { Path: 'C:\\bin', SystemRoot: 'C:\\W' },
      }),
    );
    expect(r.env.PATH).toBe('C:\\svc;C:\\bin');
    expect('Path' in r.env).toBe(false);
    expect(r.env.SystemRoot).toBe('C:\\W');
  });

  it('lets injected names win over any casing below', () => {
    const m = manifest({ backend: { port: 8000, env_file: ['/p/e'] } });
    const r = serviceEnvironment(
      input({
        manifest: m,
        platform: 'win32',
        dotenv: { '/p/e': { port: '1' } },
        processEnv: { Port: '2', host: 'h', Devlaunch_Session: 'old' },
      }),
    );
    const keys = Object.keys(r.env).filter((k) =>
      ['PORT', 'HOST', 'DEVLAUNCH_SESSION'].includes(k.toUpperCase()),
    );
    expect(keys.sort()).toEqual(['DEVLAUNCH_SESSION', 'HOST', 'PORT']);
    expect(r.env).toMatchObject({ PORT: '8001', HOST: 'localhost', DEVLAUNCH_SESSION: 's-1' });
  });

  it('finds ${path} in Path', () => {
    const m = manifest({ backend: { command: 'echo ${path}' } });
    const r = serviceEnvironment(
      input({ manifest: m, platform: 'win32', processEnv: { Path: 'C:\\x' } }),
    );
    expect(r.command).toBe('echo C:\\x');
  });

  it('keeps other-cased names apart on linux', () => {
    const m = manifest({ backend: { port: 8000 } });
    const r = serviceEnvironment(input({ manifest: m, processEnv: { Port: '2' } }));
    expect(r.env).toMatchObject({ Port: '2', PORT: '8001' });
  });
});

describe('commandEnvironment', () => {
  const m = manifest(
    { backend: { port: 8000, env_file: ['/p/b.env'] }, 'auth-api': { port: 8081 }, migrate: {} },
    {
      env_file: ['/p/.env'],
      env: { API: '${BACKEND_URL}/api', SELF: 'http://localhost:${PORT}', MODE: '${MODE_FILE}' },
    },
  );
  const base = {
    manifest: m,
    ports,
    session: 's-9',
    platform: 'linux' as const,
    dotenv: { '/p/.env': { MODE_FILE: 'dev', BACKEND_PORT: '1' }, '/p/b.env': { ONLY_B: 'b' } },
    processEnv: { HOME: '/h' },
  };

  it('holds the shell, global env files and env, and every service variable', () => {
    const env = commandEnvironment(base);
    expect(env).toMatchObject({
      HOME: '/h',
      MODE_FILE: 'dev',
      MODE: 'dev',
      API: 'http://localhost:8001/api',
      BACKEND_PORT: '8001',
      BACKEND_DEBUG_PORT: '9229',
      AUTH_API_URL: 'http://localhost:8081',
      MIGRATE_HOST: 'localhost',
      DEVLAUNCH: '1',
      DEVLAUNCH_PROJECT: 'shop',
      DEVLAUNCH_SESSION: 's-9',
    });
  });

  it('has no per-service variables and leaves out a global value built from them', () => {
    const env = commandEnvironment(base);
    for (const name of ['PORT', 'HOST', 'DEVLAUNCH_SERVICE', 'SELF', 'ONLY_B']) {
      expect(name in env, name).toBe(false);
    }
  });

  it('throws for a global value missing anything else', () => {
    const bad = manifest({}, { env: { X: '${PORT}${NOPE}' } });
    expect(() => commandEnvironment({ ...base, manifest: bad })).toThrow(/\$\{NOPE\}/);
  });

  it('merges Windows-safely', () => {
    const env = commandEnvironment({
      ...base,
      platform: 'win32',
      processEnv: { backend_port: 'x' },
    });
    expect(env.BACKEND_PORT).toBe('8001');
    expect('backend_port' in env).toBe(false);
  });
});
