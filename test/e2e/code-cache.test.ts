/**
 * The built CLI with its compile cache: kept in the user's cache directory, and optional — a
 * missing or unusable directory changes nothing but speed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PREWRAPPED_END, PREWRAPPED_START } from '../../src/cli/code-cache.js';
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

describe('the built bundles', () => {
  it('are ASCII, inside the wrapper the cache loader compiles as it is', () => {
    const dist = resolve(import.meta.dirname, '../../dist/cli');
    const bundles = readdirSync(dist, { recursive: true, encoding: 'utf8' }).filter((f) =>
      f.endsWith('.cjs'),
    );
    expect(bundles).toContain('boot.cjs');
    expect(bundles.length).toBeGreaterThan(10);
    for (const name of bundles) {
      const text = readFileSync(join(dist, name), 'latin1');
      expect(text.startsWith(PREWRAPPED_START), name).toBe(true);
      expect(text.replace(/\/\/# sourceMappingURL=\S+\n$/, '').endsWith(PREWRAPPED_END), name).toBe(
        true,
      );
      expect(/[^\x00-\x7f]/.test(text), name).toBe(false);
    }
  });
});

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
