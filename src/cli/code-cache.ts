/**
 * V8's code cache for devlaunch's own bundles on Node 20, which has no compile cache for
 * modules: each bundle is compiled through `vm.Script` with the bytecode a previous run kept in
 * the per-user cache directory, so a start deserialises instead of parsing and compiling
 * (`config` ≈ 1.9× `node -e 0` without it, ≈ 1.4× with it; docs/benchmarks.md).
 * Node ≥ 22 uses its own `module.enableCompileCache()` instead (boot.ts).
 *
 * The cache is an optimisation only: a directory that is missing, deleted meanwhile, unwritable
 * or full of garbage makes devlaunch compile as if there were none, never fail.
 */
import { isAscii } from 'node:buffer';
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { Script } from 'node:vm';

/**
 * The user's cache location: `$XDG_CACHE_HOME` (or `~/.cache`) on Linux and other Unixes,
 * `~/Library/Caches` on macOS, `%LOCALAPPDATA%` on Windows; then `devlaunch/`.
 */
export function userCacheRoot(env: NodeJS.ProcessEnv, platform: string, home: string): string {
  if (platform === 'win32') {
    const local = env.LOCALAPPDATA;
    return join(
      local !== undefined && local !== '' ? local : join(home, 'AppData', 'Local'),
      'devlaunch',
      'Cache',
    );
  }
  if (platform === 'darwin') return join(home, 'Library', 'Caches', 'devlaunch');
  const xdg = env.XDG_CACHE_HOME;
  // The XDG spec says a relative value is invalid and must be ignored.
  return join(xdg !== undefined && isAbsolute(xdg) ? xdg : join(home, '.cache'), 'devlaunch');
}

/**
 * One directory per devlaunch version, Node version and architecture: V8 rejects bytecode of
 * another V8 anyway, and old versions' caches are easy to delete by hand. undefined when the
 * user turned compile caches off with NODE_DISABLE_COMPILE_CACHE, as Node ≥ 22 does.
 */
export function codeCacheDir(
  env: NodeJS.ProcessEnv,
  platform: string,
  home: string,
  versions: { devlaunch: string; node: string; arch: string },
): string | undefined {
  if (env.NODE_DISABLE_COMPILE_CACHE !== undefined && env.NODE_DISABLE_COMPILE_CACHE !== '') {
    return undefined;
  }
  const key = `${versions.devlaunch}-node${versions.node.replace(/^v/, '')}-${versions.arch}`;
  return join(userCacheRoot(env, platform, home), 'code-cache', key);
}

/** FNV-1a, 32 bits: names a bundle's cache entries by its absolute path, without node:crypto. */
export function pathHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}

interface Loaded {
  module: { exports: unknown };
  /** Set while the bundle has no usable cache entry: save() writes one. */
  script: Script | undefined;
  entry: string;
  /** Starts the name of every entry of this bundle (its path). */
  bundleKey: string;
  /** Starts the names of the entries of this build of it: the bundle's others are stale. */
  buildKey: string;
}

// The wrapper starts on the bundle's first line, so line numbers in stack traces stay right.
const wrapperStart = '(function (exports, require, module, __filename, __dirname) { ';
const wrapperEnd = '\n})';

/**
 * How scripts/build.mjs writes every bundle: already inside the wrapper, which calls itself with
 * the five CommonJS names. Node's own require provides them as locals (Node ≥ 22, boot.cjs);
 * `load` provides them as globals for the moment the script starts. Compiling the file as it
 * is spares V8 a flattened copy of wrapper + source (≈ 0.5 MB for a command; page faults are
 * much of a start's cost).
 */
export const PREWRAPPED_END =
  '\n}).call(exports, exports, require, module, __filename, __dirname);\n';
export const PREWRAPPED_START = wrapperStart;

const commonJsNames = ['exports', 'require', 'module', '__filename', '__dirname'] as const;

/**
 * A bundle's text. The build writes pure ASCII, which is read as Latin-1: one copy of the
 * bytes, where UTF-8 decoding costs a larger intermediate one.
 */
function readSource(path: string): string {
  const bytes = readFileSync(path);
  return isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
}

/**
 * A minimal CommonJS loader for devlaunch's own bundles (self-contained CommonJS files that
 * require only Node built-ins and each other by relative path), with V8's code cache.
 */
export class CodeCache {
  readonly #dir: string | undefined;
  readonly #loaded = new Map<string, Loaded>();
  /** Bundles whose cache entry was used, for tests and `DEVLAUNCH_DEBUG`. */
  readonly hits: string[] = [];
  /** Bundles whose cache entry existed but V8 refused it (another V8, other flags, garbage). */
  readonly rejected: string[] = [];

  /** `dir`: where cache entries live; undefined compiles without a cache. */
  constructor(dir: string | undefined) {
    this.#dir = dir;
  }

  /** Runs a bundle (once; later calls return the same exports) and returns its exports. */
  load(file: string): unknown {
    const path = resolve(file);
    const known = this.#loaded.get(path);
    if (known !== undefined) return known.module.exports;

    const source = readSource(path);
    // Keyed by size and modification time as well as path: V8 checks only a source's length,
    // and would accept stale bytecode for a rebuilt bundle of the same length.
    const stat = statSync(path);
    const bundleKey = `${pathHash(path)}-`;
    const buildKey = `${bundleKey}${stat.size}-${Math.trunc(stat.mtimeMs)}`;
    const entry = `${buildKey}.v8`;
    const cachedData = this.#read(entry);
    const prewrapped = source.startsWith(PREWRAPPED_START);
    const script = new Script(prewrapped ? source : wrapperStart + source + wrapperEnd, {
      filename: path,
      ...(cachedData === undefined ? {} : { cachedData }),
    });
    const usable = cachedData !== undefined && script.cachedDataRejected !== true;
    if (usable) this.hits.push(path);
    else if (cachedData !== undefined) this.rejected.push(path);

    const module = { exports: {} as unknown };
    const loaded: Loaded = {
      module,
      script: usable ? undefined : script,
      entry,
      bundleKey,
      buildKey,
    };
    this.#loaded.set(path, loaded);
    const args = [module.exports, this.#requireFor(path), module, path, dirname(path)] as const;
    if (prewrapped) runWithGlobals(script, args);
    else (script.runInThisContext() as (...a: unknown[]) => void).apply(module.exports, [...args]);
    return module.exports;
  }

  /**
   * Writes a cache entry for every bundle loaded without one, and removes that bundle's older
   * entries. Called as the process exits, so the bytecode of every function that ran is kept,
   * not only the top level. Never throws.
   */
  save(): void {
    const dir = this.#dir;
    if (dir === undefined) return;
    for (const loaded of this.#loaded.values()) {
      if (loaded.script === undefined) continue;
      try {
        const data = loaded.script.createCachedData();
        mkdirSync(dir, { recursive: true });
        // Written aside and renamed: a devlaunch starting meanwhile reads all of it or nothing.
        const temp = join(dir, `${loaded.entry}.${process.pid}.tmp`);
        writeFileSync(temp, data);
        renameSync(temp, join(dir, loaded.entry));
        loaded.script = undefined;
        for (const name of readdirSync(dir)) {
          if (name.startsWith(loaded.bundleKey) && !name.startsWith(loaded.buildKey)) {
            rmSync(join(dir, name), { force: true });
          }
        }
      } catch {
        // Unwritable, full or removed meanwhile: the next start compiles again.
      }
    }
  }

  #read(entry: string): Buffer | undefined {
    if (this.#dir === undefined) return undefined;
    try {
      return readFileSync(join(this.#dir, entry));
    } catch {
      return undefined;
    }
  }

  /** `require` inside a bundle: sibling bundles through this cache, the rest as Node does. */
  #requireFor(file: string): NodeJS.Require {
    const native = createRequire(file);
    const dir = dirname(file);
    const load = (id: string): unknown =>
      id.startsWith('./') || id.startsWith('../') ? this.load(join(dir, id)) : native(id);
    return Object.assign(load, {
      resolve: native.resolve,
      cache: native.cache,
      extensions: native.extensions,
      main: native.main,
    }) as NodeJS.Require;
  }
}

/**
 * Runs a pre-wrapped bundle: its first act is to call its wrapper with the five CommonJS names,
 * read from globals set while its top level runs and restored after (a bundle it loads
 * meanwhile sets and restores its own: each has read its names by then).
 */
function runWithGlobals(script: Script, values: readonly unknown[]): void {
  const global = globalThis as Record<string, unknown>;
  const saved = commonJsNames.map((name) => Object.getOwnPropertyDescriptor(global, name));
  commonJsNames.forEach((name, i) => {
    Object.defineProperty(global, name, {
      configurable: true,
      enumerable: false,
      writable: true,
      value: values[i],
    });
  });
  try {
    script.runInThisContext();
  } finally {
    commonJsNames.forEach((name, i) => {
      const before = saved[i];
      if (before === undefined) delete global[name];
      else Object.defineProperty(global, name, before);
    });
  }
}
