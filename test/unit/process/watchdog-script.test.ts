import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { watchdogScript } from '../../../src/process/watchdog.js';

const dir = mkdtempSync(join(tmpdir(), 'devlaunch-root-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function layout(): string {
  const pkg = join(dir, 'node_modules', 'devlaunch');
  mkdirSync(join(pkg, 'dist', 'chunks'), { recursive: true });
  mkdirSync(join(pkg, 'node_modules', 'dep'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{"name":"my-app"}');
  writeFileSync(join(pkg, 'package.json'), '{"name":"devlaunch"}');
  writeFileSync(join(pkg, 'node_modules', 'dep', 'package.json'), '{"name":"dep"}');
  return pkg;
}

describe('watchdogScript', () => {
  it('walks up from a bundled chunk to the devlaunch package root', () => {
    const pkg = layout();
    expect(watchdogScript(join(pkg, 'dist', 'chunks', 'chunk-X.js'))).toBe(
      join(pkg, 'dist', 'process', 'watchdog-main.cjs'),
    );
  });

  it('skips package.json files of other packages on the way up', () => {
    const pkg = layout();
    expect(watchdogScript(join(pkg, 'node_modules', 'dep', 'x.js'))).toBe(
      join(pkg, 'dist', 'process', 'watchdog-main.cjs'),
    );
  });

  it('throws when there is no devlaunch package above', () => {
    expect(() => watchdogScript(join(dir, 'elsewhere.js'))).toThrow(/package root not found/);
  });
});
