// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests are about ${} syntax
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { envProblems } from '../../../src/env/check.js';
import { manifest } from '../../helpers/manifest.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'devlaunch-check-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('envProblems: references without a value', () => {
  it('accepts values found in any lower layer, injected names and defaults', () => {
    const file = join(dir, '.env');
    writeFileSync(file, 'FROM_FILE=1\n');
    const m = manifest(
      {
        backend: {
          port: 8000,
          env: { A: '${FROM_FILE}${FROM_SHELL}${G}${AUTH_URL}${PORT}${DEVLAUNCH_SESSION}${X:-d}' },
          command: 'run ${A} ${BACKEND_DEBUG_PORT} ${HOST} $$ $BARE',
          ports: { debug: 9229 },
        },
        auth: { port: 8081, command: ['x', '${AUTH_PORT}', '${EMPTY}'] },
      },
      { env_file: [file], env: { G: '${PORT}' } },
    );
    expect(envProblems(m, { FROM_SHELL: 's', EMPTY: '' })).toEqual([]);
  });

  it('reports a service env value with the variable, the value and a hint', () => {
    const m = manifest({ backend: { env: { API: '${AUTH_URL}' } } });
    expect(envProblems(m, {})).toEqual([
      {
        path: ['services', 'backend', 'env', 'API'],
        message: '${AUTH_URL} has no value',
        found: '${AUTH_URL}',
        hint: expect.stringMatching(/env:.*\.env.*\$\{AUTH_URL:-value\}/),
      },
    ]);
  });

  it('reports a string command, and each element of a list command by index', () => {
    const m = manifest({
      a: { command: 'serve ${NOPE}' },
      b: { command: ['serve', '--x', '${NOPE_B}'] },
    });
    expect(envProblems(m, {}).map((p) => [p.path, p.message])).toEqual([
      [['services', 'a', 'command'], '${NOPE} has no value'],
      [['services', 'b', 'command', 2], '${NOPE_B} has no value'],
    ]);
  });

  it('reports a global env value once, not once per service', () => {
    const m = manifest({ a: {}, b: {} }, { env: { X: '${NOPE}' } });
    expect(envProblems(m, {})).toMatchObject([
      { path: ['env', 'X'], message: '${NOPE} has no value' },
    ]);
  });

  it('names the services for which a global ${PORT} has no value', () => {
    const m = manifest(
      { web: { port: 3000 }, migrate: {}, seed: {} },
      { env: { SELF: 'http://localhost:${PORT}' } },
    );
    const problems = envProblems(m, {});
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      path: ['env', 'SELF'],
      message: '${PORT} has no value for services migrate, seed',
    });
    expect(problems[0]?.hint).toContain('no port');
  });

  it('accepts a global ${PORT} when the portless service replaces that variable', () => {
    const m = manifest(
      { web: { port: 3000 }, migrate: { env: { SELF: 'none' } } },
      { env: { SELF: 'http://localhost:${PORT}' } },
    );
    expect(envProblems(m, {})).toEqual([]);
  });

  it('reads the dotenv files itself, global and per service', () => {
    const g = join(dir, 'g.env');
    const s = join(dir, 's.env');
    writeFileSync(g, 'GV=1\n');
    writeFileSync(s, 'SV=1\n');
    const m = manifest(
      { a: { env_file: [s], env: { X: '${GV}${SV}' } }, b: { env: { Y: '${SV}' } } },
      { env_file: [g] },
    );
    expect(envProblems(m, {}).map((p) => p.path)).toEqual([['services', 'b', 'env', 'Y']]);
  });

  it('skips dotenv files that do not exist', () => {
    const m = manifest({ a: { env: { X: '${V}' } } }, { env_file: [join(dir, 'missing.env')] });
    expect(envProblems(m, {}).map((p) => p.message)).toEqual(['${V} has no value']);
  });

  it('checks the global env even without services', () => {
    const m = manifest({}, { env: { X: '${NOPE}', Y: '${HOME}' } });
    expect(envProblems(m, { HOME: '/h' }).map((p) => p.path)).toEqual([['env', 'X']]);
  });

  it('reports invalid references', () => {
    const m = manifest({ a: { env: { X: 'a ${}' }, command: 'x ${B' } });
    expect(envProblems(m, {}).map((p) => [p.path, p.message])).toEqual([
      [['services', 'a', 'env', 'X'], '${} is not a valid reference'],
      [['services', 'a', 'command'], '${B is not a valid reference'],
    ]);
  });
});

describe('envProblems: injected names', () => {
  it.each([
    ['PORT'],
    ['HOST'],
    ['DEVLAUNCH'],
    ['DEVLAUNCH_SESSION'],
    ['DEVLAUNCH_ANYTHING'],
    ['BACKEND_URL'],
    ['BACKEND_PORT'],
    ['BACKEND_DEBUG_PORT'],
    ['AUTH_API_HOST'],
    ['Port'],
  ])('rejects %s in a service env and in the global env', (name) => {
    const m = manifest(
      { backend: { port: 8000, ports: { debug: 1 }, env: { [name]: 'x' } }, 'auth-api': {} },
      { env: { [name]: 'x' } },
    );
    const problems = envProblems(m, {});
    expect(problems.map((p) => p.path)).toEqual([
      ['env', name],
      ['services', 'backend', 'env', name],
    ]);
    expect(problems[0]).toMatchObject({ atKey: true, hint: expect.stringContaining('port:') });
    expect(problems[0]?.message).toContain(name);
  });

  it('accepts an injected name set to itself (AUTH_URL: ${AUTH_URL}), a no-op', () => {
    const m = manifest({ auth: { port: 8081 }, backend: { env: { AUTH_URL: '${AUTH_URL}' } } });
    expect(envProblems(m, {})).toEqual([]);
    const other = manifest({
      auth: { port: 8081 },
      backend: { env: { AUTH_URL: '${AUTH_URL}/x' } },
    });
    expect(envProblems(other, {}).map((p) => p.path)).toEqual([
      ['services', 'backend', 'env', 'AUTH_URL'],
    ]);
  });

  it('accepts S_* names of services that do not inject them', () => {
    const m = manifest({ migrate: { env: { MIGRATE_URL: 'x', MIGRATE_PORT: '1' } } });
    expect(envProblems(m, {})).toEqual([]);
  });
});

describe('envProblems: variable prefixes', () => {
  it('reports two services that give the same variable names', () => {
    const m = manifest({ 'auth-api': {}, auth_api: {} });
    expect(envProblems(m, {})).toMatchObject([
      { path: ['services', 'auth_api'], message: expect.stringContaining('AUTH_API_*') },
    ]);
  });
});
