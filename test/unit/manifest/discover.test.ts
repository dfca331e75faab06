import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DevlaunchError } from '../../../src/errors.js';
import { findManifest, loadManifest, readManifest } from '../../../src/manifest/index.js';
import { cleanProjects, project } from './helpers.js';

afterAll(cleanProjects);

const MINIMAL = 'services:\n  web:\n    command: node server.js\n';

describe('findManifest', () => {
  it('walks up from the current directory', () => {
    const root = project({ 'launcher.yaml': MINIMAL, 'a/b/c/': '' });
    expect(findManifest({ cwd: join(root, 'a/b/c'), env: {} })).toBe(join(root, 'launcher.yaml'));
  });

  it('prefers launcher.yaml, then launcher.yml, in the nearest folder', () => {
    const root = project({ 'launcher.yaml': MINIMAL, 'sub/launcher.yml': MINIMAL, 'sub/x/': '' });
    expect(findManifest({ cwd: join(root, 'sub/x'), env: {} })).toBe(
      join(root, 'sub/launcher.yml'),
    );
    writeFileSync(join(root, 'sub/launcher.yaml'), MINIMAL);
    expect(findManifest({ cwd: join(root, 'sub'), env: {} })).toBe(join(root, 'sub/launcher.yaml'));
  });

  it('takes DEVLAUNCH_FILE relative to the current directory', () => {
    const root = project({ 'launcher.yaml': MINIMAL, 'conf/other.yaml': MINIMAL });
    const env = { DEVLAUNCH_FILE: 'conf/other.yaml' };
    expect(findManifest({ cwd: root, env })).toBe(join(root, 'conf/other.yaml'));
  });

  it('lets -f win over DEVLAUNCH_FILE', () => {
    const root = project({ 'one.yaml': MINIMAL, 'two.yaml': MINIMAL });
    const found = findManifest({
      file: 'two.yaml',
      cwd: root,
      env: { DEVLAUNCH_FILE: 'one.yaml' },
    });
    expect(found).toBe(join(root, 'two.yaml'));
  });

  it('fails with MANIFEST_NOT_FOUND and a hint when there is none', () => {
    const root = project({ 'empty/': '' });
    let error: unknown;
    try {
      findManifest({ cwd: join(root, 'empty'), env: {} });
    } catch (e) {
      error = e;
    }
    // A launcher.yaml above the temporary folder would be found instead; there is none in tmp.
    expect(error).toBeInstanceOf(DevlaunchError);
    expect((error as DevlaunchError).code).toBe('MANIFEST_NOT_FOUND');
    expect((error as DevlaunchError).hint).toMatch(/devlaunch init.*-f/);
  });

  it('fails for a -f path that does not exist', () => {
    const root = project();
    expect(() => findManifest({ file: 'nope.yaml', cwd: root, env: {} })).toThrow(/not found/);
  });
});

describe('readManifest and loadManifest', () => {
  it('returns the diagnostics, text and file of an invalid manifest', () => {
    const root = project({ 'launcher.yaml': 'services:\n  web:\n    command: x\n    port: 0.5\n' });
    const result = readManifest({ cwd: root, env: {} });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.file).toBe(join(root, 'launcher.yaml'));
    expect(result.text).toContain('port: 0.5');
    expect(result.diagnostics.map((d) => d.line)).toEqual([4]);
  });

  it('throws MANIFEST_INVALID (exit 2) with every diagnostic in the message', () => {
    const root = project({
      'launcher.yaml': 'services:\n  web:\n    command: x\n    port: 0.5\n    restart: sometimes\n',
    });
    let error: unknown;
    try {
      loadManifest({ cwd: root, env: {} });
    } catch (e) {
      error = e;
    }
    expect((error as DevlaunchError).code).toBe('MANIFEST_INVALID');
    expect((error as DevlaunchError).exitCode).toBe(2);
    expect((error as DevlaunchError).message).toMatch(/:4:11 error services\.web\.port/);
    expect((error as DevlaunchError).message).toMatch(/:5:14 error services\.web\.restart/);
  });

  it('returns the normalised manifest of a valid one', () => {
    const root = project({ 'launcher.yml': MINIMAL });
    mkdirSync(join(root, 'deep'));
    expect(loadManifest({ cwd: join(root, 'deep'), env: {} }).services.web?.command).toBe(
      'node server.js',
    );
  });
});
