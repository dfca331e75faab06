/** `devlaunch init`: a valid starter manifest, .devlaunch/ ignored once, never an overwrite. */
import { existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readManifest } from '../../../src/manifest/index.js';
import { runCli } from '../../helpers/cli.js';
import { cleanupTracked } from '../../helpers/processes.js';
import { removeTempDirs, tempDir } from '../../helpers/project.js';

afterEach(async () => {
  await cleanupTracked();
  removeTempDirs();
});

const linesOf = (file: string) => readFileSync(file, 'utf8').split('\n');

describe('devlaunch init', () => {
  it('writes a valid manifest with a backend and a frontend, and creates .gitignore', async () => {
    const dir = tempDir();
    const result = await runCli(['init'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('wrote launcher.yaml');
    expect(result.stdout).toContain('created .gitignore');
    expect(result.stdout).toContain('devlaunch up');

    const read = readManifest({ cwd: dir, env: {} });
    if (!read.ok) throw new Error(JSON.stringify(read.diagnostics, null, 2));
    expect(Object.keys(read.manifest.services)).toEqual(['backend', 'frontend']);
    expect(read.manifest.services.frontend?.depends_on).toEqual({ backend: 'ready' });
    expect(read.manifest.file).toBe(join(dir, 'launcher.yaml'));
    expect(linesOf(join(dir, '.gitignore'))).toEqual(['.devlaunch/', '']);
  });

  it('adds .devlaunch/ to an existing .gitignore once; a second run refuses (exit 2)', async () => {
    const dir = tempDir();
    const gitignore = join(dir, '.gitignore');
    writeFileSync(gitignore, 'node_modules/\ndist'); // no final newline
    const first = await runCli(['init'], { cwd: dir });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('added .devlaunch/ to .gitignore');
    const written = readFileSync(join(dir, 'launcher.yaml'), 'utf8');

    const second = await runCli(['init'], { cwd: dir });
    expect(second.code).toBe(2);
    expect(second.stderr).toContain('already exists');
    expect(second.stderr).toMatch(/hint: .*move it away/);
    expect(readFileSync(join(dir, 'launcher.yaml'), 'utf8')).toBe(written);
    expect(linesOf(gitignore)).toEqual(['node_modules/', 'dist', '.devlaunch/', '']);
  });

  it('leaves a .gitignore that already ignores the folder alone', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, '.gitignore'), '/.devlaunch\n');
    const result = await runCli(['init'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('.gitignore already ignores');
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe('/.devlaunch\n');
  });

  it('refuses when a launcher.yml exists, and writes nothing', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'launcher.yml'), 'services: {}\n');
    const result = await runCli(['init'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('launcher.yml already exists');
    expect(existsSync(join(dir, 'launcher.yaml'))).toBe(false);
    expect(existsSync(join(dir, '.gitignore'))).toBe(false);
  });

  it.runIf(process.platform !== 'win32')(
    'refuses a launcher.yaml that is a link to nothing, without an internal error',
    async () => {
      const dir = tempDir();
      symlinkSync(join(dir, 'elsewhere.yaml'), join(dir, 'launcher.yaml'));
      const result = await runCli(['init'], { cwd: dir });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('launcher.yaml already exists');
      expect(result.stderr).not.toContain('internal error');
      expect(existsSync(join(dir, 'elsewhere.yaml'))).toBe(false);
    },
  );
});
