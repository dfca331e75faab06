import { describe, expect, it } from 'vitest';
import { envName, injectedNames, injectedVariables } from '../../../src/env/index.js';
import { manifest } from '../../helpers/manifest.js';

describe('envName', () => {
  it.each([
    ['backend', 'BACKEND'],
    ['auth-api', 'AUTH_API'],
    ['web.v2', 'WEB_V2'],
    ['Front End', 'FRONT_END'],
    ['api2', 'API2'],
    ['ünï', '_N_'],
  ])('%s -> %s', (input, expected) => {
    expect(envName(input)).toBe(expected);
  });
});

describe('injectedVariables', () => {
  const m = manifest({
    'auth-api': { port: 8081, host: '127.0.0.1' },
    backend: { port: 8000, ports: { debug: 9229, 'grpc-web': 0 } },
    migrate: {},
    worker: { ports: { metrics: 'auto' } },
    v6: { port: 'auto', host: '::1' },
  });
  const vars = injectedVariables(m, {
    'auth-api': { primary: 8081, named: {} },
    backend: { primary: 8001, named: { debug: 9229, 'grpc-web': 40000 } },
    migrate: { primary: null, named: {} },
    worker: { primary: null, named: { metrics: 41000 } },
    v6: { primary: 42000, named: {} },
  });

  it('gives every service its host, port and URL, with the ports it really got', () => {
    expect(vars).toMatchObject({
      AUTH_API_HOST: '127.0.0.1',
      AUTH_API_PORT: '8081',
      AUTH_API_URL: 'http://127.0.0.1:8081',
      BACKEND_HOST: 'localhost',
      BACKEND_PORT: '8001',
      BACKEND_URL: 'http://localhost:8001',
    });
  });

  it('names each named port S_<NAME>_PORT, mangled like service names', () => {
    expect(vars.BACKEND_DEBUG_PORT).toBe('9229');
    expect(vars.BACKEND_GRPC_WEB_PORT).toBe('40000');
  });

  it('gives a service without a port only its host', () => {
    expect(vars.MIGRATE_HOST).toBe('localhost');
    expect(Object.keys(vars).filter((k) => k.startsWith('MIGRATE_'))).toEqual(['MIGRATE_HOST']);
  });

  it('gives a service with only named ports no S_PORT or S_URL', () => {
    expect(
      Object.keys(vars)
        .filter((k) => k.startsWith('WORKER_'))
        .sort(),
    ).toEqual(['WORKER_HOST', 'WORKER_METRICS_PORT']);
  });

  it('puts an IPv6 host in brackets in the URL', () => {
    expect(vars.V6_URL).toBe('http://[::1]:42000');
    expect(vars.V6_HOST).toBe('::1');
  });

  it('treats a service missing from the resolved ports as having none', () => {
    expect(injectedVariables(m, {})).toEqual({
      AUTH_API_HOST: '127.0.0.1',
      BACKEND_HOST: 'localhost',
      MIGRATE_HOST: 'localhost',
      WORKER_HOST: 'localhost',
      V6_HOST: '::1',
    });
  });
});

describe('injectedNames', () => {
  it('holds the own names and every S_* name the manifest can inject', () => {
    const m = manifest({
      'auth-api': { port: 8081 },
      backend: { port: 'auto', ports: { debug: 9229 } },
      migrate: {},
    });
    expect([...injectedNames(m)].sort()).toEqual(
      [
        'PORT',
        'HOST',
        'DEVLAUNCH',
        'DEVLAUNCH_SERVICE',
        'DEVLAUNCH_PROJECT',
        'DEVLAUNCH_SESSION',
        'AUTH_API_HOST',
        'AUTH_API_PORT',
        'AUTH_API_URL',
        'BACKEND_HOST',
        'BACKEND_PORT',
        'BACKEND_URL',
        'BACKEND_DEBUG_PORT',
        'MIGRATE_HOST',
      ].sort(),
    );
  });
});
