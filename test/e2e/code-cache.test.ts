/**
 * The built CLI with its compile cache: kept in the user's cache directory, and optional — a
 * missing or unusable directory changes nothing but speed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, project as testProject } from '../helpers/project.js';

const bin = resolve(import.meta.dirname, '../../bin/devlaunch.js');
afterAll(removeTempDirs);

const project = () =>
  testProject('services:\n  api:\n    command: node api.js\n    port: 8000\n', {
    prefix: 'devlaunch-code-cache-e2e-',
  }).root;

function config(cwd: string, env: Record<string, string>) {
  const { NODE_DISABLE_COMPILE_CACHE: _n, ...base } = process.env;
  const run = spawnSync(process.execPath, [bin, 'config', '--json'], {
    cwd,
    env: { ...base, ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

const files = (dir: string) =>
  existsSync(dir)
    ? readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile())
    : [];

describe('the compile cache of the built CLI', () => {
  it('is written under XDG_CACHE_HOME/devlaunch and gives the same output when used', () => {
    const root = project();
    const cache = join(root, 'xdg');
    const first = config(root, { XDG_CACHE_HOME: cache });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(files(join(cache, 'devlaunch', 'code-cache')).length).toBeGreaterThan(0);
    const second = config(root, { XDG_CACHE_HOME: cache });
    expect(second).toEqual(first);
  });

  it('is skipped when the cache directory cannot be created', () => {
    const root = project();
    const blocker = join(root, 'not-a-dir');
    writeFileSync(blocker, '');
    const plain = config(root, { NODE_DISABLE_COMPILE_CACHE: '1' });
    const blocked = config(root, { XDG_CACHE_HOME: blocker });
    expect(blocked.stderr).toBe('');
    expect(blocked).toEqual(plain);
  });

  it('is off with NODE_DISABLE_COMPILE_CACHE', () => {
    const root = project();
    const cache = join(root, 'xdg');
    expect(config(root, { XDG_CACHE_HOME: cache, NODE_DISABLE_COMPILE_CACHE: '1' }).code).toBe(0);
    expect(files(cache)).toEqual([]);
  });
});
