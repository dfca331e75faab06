/** The code cache for devlaunch's bundles: where it lives, and that no broken cache breaks a start. */

import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  CodeCache,
  codeCacheDir,
  PREWRAPPED_END,
  PREWRAPPED_START,
  pathHash,
  userCacheRoot,
} from '../../../src/cli/code-cache.js';
import { bundleTestProgram } from '../../helpers/build.js';

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function temp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'devlaunch-code-cache-'));
  temps.push(dir);
  return dir;
}

/** Two bundles as the build writes them: main.cjs requires its sibling and a built-in. */
function bundles(value = 'one'): { main: string; dir: string } {
  const dir = temp();
  writeFileSync(
    join(dir, 'part.cjs'),
    `exports.value = ${JSON.stringify(value)};\nexports.double = (n) => n * 2;\n`,
  );
  writeFileSync(
    join(dir, 'main.cjs'),
    "const part = require('./part.cjs');\nconst { sep } = require('node:path');\n" +
      'module.exports = { value: part.value, four: part.double(2), sep, self: __filename };\n',
  );
  return { main: join(dir, 'main.cjs'), dir };
}

/** The same two bundles as the build writes them: inside the wrapper that calls itself. */
function prewrapped(value = 'one'): { main: string; dir: string } {
  const plain = bundles(value);
  for (const name of ['part.cjs', 'main.cjs']) {
    const file = join(plain.dir, name);
    writeFileSync(file, `${PREWRAPPED_START}${readFileSync(file, 'utf8')}${PREWRAPPED_END}`);
  }
  return plain;
}

let bundledCodeCache = '';
beforeAll(async () => {
  bundledCodeCache = await bundleTestProgram(
    join(import.meta.dirname, '../../../src/cli/code-cache.ts'),
  );
});

interface Start {
  exports: Record<string, unknown>;
  hits: string[];
  rejected: string[];
}

/**
 * One devlaunch start: a fresh Node process loads `main` through the cache, then saves it as
 * devlaunch does on exit. (Within one process V8 would reuse its in-memory compilation and
 * never look at the cache entry, so every start is a process of its own.)
 */
function start(main: string, cacheDir: string): Start {
  const script = `
    import { CodeCache } from ${JSON.stringify(pathToFileURL(bundledCodeCache).href)};
    const cache = new CodeCache(${JSON.stringify(cacheDir)});
    const exports = cache.load(${JSON.stringify(main)});
    cache.save();
    console.log(JSON.stringify({ exports, hits: cache.hits, rejected: cache.rejected }));`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    timeout: 20_000,
  });
  if (run.status !== 0) throw new Error(`start failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as Start;
}

const entries = (dir: string) => (existsSync(dir) ? readdirSync(dir).sort() : []);

describe('where the cache lives', () => {
  it('follows XDG_CACHE_HOME, ignoring a relative one as the XDG spec says', () => {
    expect(userCacheRoot({ XDG_CACHE_HOME: '/x/cache' }, 'linux', '/home/u')).toBe(
      join('/x/cache', 'devlaunch'),
    );
    expect(userCacheRoot({ XDG_CACHE_HOME: 'rel' }, 'linux', '/home/u')).toBe(
      join('/home/u', '.cache', 'devlaunch'),
    );
    expect(userCacheRoot({}, 'freebsd', '/home/u')).toBe(join('/home/u', '.cache', 'devlaunch'));
  });

  it('uses %LOCALAPPDATA% on Windows and ~/Library/Caches on macOS', () => {
    expect(userCacheRoot({ LOCALAPPDATA: 'C:\\L' }, 'win32', 'C:\\U')).toBe(
      join('C:\\L', 'devlaunch', 'Cache'),
    );
    expect(userCacheRoot({}, 'win32', 'C:\\U')).toBe(
      join('C:\\U', 'AppData', 'Local', 'devlaunch', 'Cache'),
    );
    expect(userCacheRoot({}, 'darwin', '/Users/u')).toBe(
      join('/Users/u', 'Library', 'Caches', 'devlaunch'),
    );
  });

  it('is keyed by the devlaunch version, the Node version and the architecture', () => {
    const versions = { devlaunch: '1.2.3', node: 'v20.19.0', arch: 'x64' };
    expect(codeCacheDir({ XDG_CACHE_HOME: '/c' }, 'linux', '/h', versions)).toBe(
      join('/c', 'devlaunch', 'code-cache', '1.2.3-node20.19.0-x64'),
    );
    const other = codeCacheDir({ XDG_CACHE_HOME: '/c' }, 'linux', '/h', {
      ...versions,
      node: 'v22.1.0',
    });
    expect(other).not.toBe(codeCacheDir({ XDG_CACHE_HOME: '/c' }, 'linux', '/h', versions));
  });

  it('is off when NODE_DISABLE_COMPILE_CACHE is set, as with Node’s own cache', () => {
    const versions = { devlaunch: '1', node: 'v20', arch: 'x64' };
    expect(codeCacheDir({ NODE_DISABLE_COMPILE_CACHE: '1' }, 'linux', '/h', versions)).toBe(
      undefined,
    );
  });

  it('names entries by a stable hash of the bundle path', () => {
    expect(pathHash('/a/dist/cli/main.cjs')).toBe(pathHash('/a/dist/cli/main.cjs'));
    expect(pathHash('/a/dist/cli/main.cjs')).not.toBe(pathHash('/b/dist/cli/main.cjs'));
    expect(pathHash('')).toMatch(/^[0-9a-f]{8}$/);
  });
});

describe('CodeCache', () => {
  it('runs bundles, then reuses their bytecode on the next start', () => {
    const { main, dir } = bundles();
    const cacheDir = join(temp(), 'cache');
    const first = start(main, cacheDir);
    expect(first.exports).toEqual({ value: 'one', four: 4, sep: '/', self: main });
    expect(first.hits).toEqual([]);
    const written = entries(cacheDir);
    expect(written).toHaveLength(2);

    const second = start(main, cacheDir);
    expect(second.exports).toEqual(first.exports);
    expect(second.hits.sort()).toEqual([join(dir, 'main.cjs'), join(dir, 'part.cjs')]);
    expect(second.rejected).toEqual([]);
    expect(entries(cacheDir)).toEqual(written); // nothing new to write
  });

  it('runs pre-wrapped bundles, from the cache too, as Node’s own require does', () => {
    const { main, dir } = prewrapped('pré'); // not ASCII: read as UTF-8
    const cacheDir = join(temp(), 'cache');
    const first = start(main, cacheDir);
    expect(first.exports).toEqual({ value: 'pré', four: 4, sep: '/', self: main });
    const second = start(main, cacheDir);
    expect(second.exports).toEqual(first.exports);
    expect(second.hits.sort()).toEqual([join(dir, 'main.cjs'), join(dir, 'part.cjs')]);
    const native = spawnSync(
      process.execPath,
      ['-p', `JSON.stringify(require(${JSON.stringify(main)}))`],
      {
        encoding: 'utf8',
      },
    );
    expect(JSON.parse(native.stdout)).toEqual(first.exports);
  });

  it('leaves no CommonJS names behind in the global scope', () => {
    const { main } = prewrapped();
    const global = globalThis as Record<string, unknown>;
    const before = ['exports', 'require', 'module', '__filename', '__dirname'].map((n) => [
      n,
      Object.hasOwn(global, n),
    ]);
    expect((new CodeCache(undefined).load(main) as { four: number }).four).toBe(4);
    expect(before.map(([n]) => [n, Object.hasOwn(global, n as string)])).toEqual(before);
  });

  it('runs each bundle once per process', () => {
    const { main, dir } = bundles();
    const cache = new CodeCache(undefined);
    expect(cache.load(join(dir, 'part.cjs'))).toBe(cache.load(join(dir, 'part.cjs')));
    expect((cache.load(main) as { value: string }).value).toBe('one');
  });

  it.each([
    ['garbage', () => Buffer.from('not bytecode at all')],
    ['truncated', (valid: Buffer) => valid.subarray(0, Math.floor(valid.length / 2))],
    ['empty', () => Buffer.alloc(0)],
  ])('ignores a %s entry, runs the bundle and writes a good entry', (_, spoil) => {
    const { main } = bundles();
    const cacheDir = join(temp(), 'cache');
    start(main, cacheDir);
    for (const name of entries(cacheDir)) {
      const file = join(cacheDir, name);
      writeFileSync(file, spoil(readFileSync(file)));
    }

    const second = start(main, cacheDir);
    expect(second.exports).toMatchObject({ value: 'one', four: 4 });
    expect(second.hits).toEqual([]);
    expect(second.rejected).toHaveLength(2);
    expect(start(main, cacheDir).hits).toHaveLength(2);
  });

  it('never uses the bytecode of a rebuilt bundle, even of the same length', () => {
    const { main, dir } = bundles('one');
    const cacheDir = join(temp(), 'cache');
    start(main, cacheDir);
    const oldEntries = entries(cacheDir);

    writeFileSync(
      join(dir, 'part.cjs'),
      'exports.value = "two";\nexports.double = (n) => n * 3;\n', // same length as before
    );
    const later = new Date(Date.now() + 5000);
    utimesSync(join(dir, 'part.cjs'), later, later);
    const second = start(main, cacheDir);
    expect(second.exports).toMatchObject({ value: 'two', four: 6 });
    expect(second.hits).toEqual([main]);
    // The rebuilt bundle's entry replaced its old one; main's entry stayed.
    const now = entries(cacheDir);
    expect(now).toHaveLength(2);
    expect(now.filter((n) => oldEntries.includes(n))).toHaveLength(1);
  });

  it('recreates a cache directory deleted while devlaunch ran', () => {
    const { main } = bundles();
    const cacheDir = join(temp(), 'a', 'b', 'cache');
    const cache = new CodeCache(cacheDir);
    cache.load(main);
    rmSync(join(cacheDir, '..', '..'), { recursive: true, force: true });
    cache.save();
    expect(entries(cacheDir)).toHaveLength(2);
  });

  it('runs without a cache when the directory cannot be created or written', () => {
    const { main } = bundles();
    const file = join(temp(), 'a-file');
    writeFileSync(file, '');
    // Below a regular file, nothing can be created, whoever runs the test (root included).
    const cacheDir = join(file, 'cache');
    const cache = new CodeCache(cacheDir);
    expect(cache.load(main)).toMatchObject({ value: 'one' });
    expect(() => cache.save()).not.toThrow();
    expect(existsSync(cacheDir)).toBe(false);
    expect(readdirSync(join(file, '..'))).toEqual(['a-file']);
  });

  it('leaves no temporary files behind', () => {
    const { main } = bundles();
    const cacheDir = join(temp(), 'cache');
    const cache = new CodeCache(cacheDir);
    cache.load(main);
    cache.save();
    expect(entries(cacheDir).every((n) => n.endsWith('.v8'))).toBe(true);
  });

  it('writes nothing without a directory (caching turned off)', () => {
    const { main, dir } = bundles();
    const cache = new CodeCache(undefined);
    expect(cache.load(main)).toMatchObject({ four: 4 });
    cache.save();
    expect(entries(dir)).toEqual(['main.cjs', 'part.cjs']);
  });

  it('keeps line numbers of the bundle in stack traces', () => {
    const dir = temp();
    const file = join(dir, 'throws.cjs');
    writeFileSync(file, '\n\nexports.fail = () => {\n  throw new Error("here");\n};\n');
    const { fail } = new CodeCache(undefined).load(file) as { fail: () => void };
    expect(fail).toThrow(
      expect.objectContaining({ stack: expect.stringContaining(`${file}:4:`) }) as Error,
    );
  });
});
