// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests are about ${} syntax
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dotenvPaths, loadDotenvFiles } from '../../../src/env/index.js';
import { DevlaunchError } from '../../../src/errors.js';
import { manifest } from '../../helpers/manifest.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'devlaunch-dotenv-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('loadDotenvFiles', () => {
  it('parses each file as dotenv does, without expanding', () => {
    const a = join(dir, '.env');
    const b = join(dir, 'b.env');
    writeFileSync(a, '# comment\nA=1\nexport B="two words"\nC=${A}\n');
    writeFileSync(b, 'D=\n');
    expect(loadDotenvFiles([a, b])).toEqual({
      [a]: { A: '1', B: 'two words', C: '${A}' },
      [b]: { D: '' },
    });
  });

  it('throws MANIFEST_INVALID naming a missing file', () => {
    const missing = join(dir, 'nope.env');
    let caught: unknown;
    try {
      loadDotenvFiles([missing]);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DevlaunchError);
    expect(caught).toMatchObject({ code: 'MANIFEST_INVALID' });
    expect((caught as Error).message).toContain(missing);
    expect((caught as Error).message).toContain('does not exist');
  });

  it('throws for a path that is a directory', () => {
    expect(() => loadDotenvFiles([dir])).toThrow(/cannot be read/);
  });
});

describe('dotenvPaths', () => {
  it('lists global then service files, each once', () => {
    const m = manifest(
      { a: { env_file: ['/p/a.env', '/p/.env'] }, b: { env_file: ['/p/b.env'] } },
      { env_file: ['/p/.env'] },
    );
    expect(dotenvPaths(m)).toEqual(['/p/.env', '/p/a.env', '/p/b.env']);
  });
});
