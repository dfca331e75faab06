/**
 * What the `devlaunch` bin runs first (built to dist/cli/boot.cjs and loaded by Node's own
 * require): turns on a compile cache, then runs the CLI (dist/cli/main.cjs), which loads the
 * one command bundle it needs. Node ≥ 22 caches compiled code itself
 * (`module.enableCompileCache`); on Node 20 `CodeCache` keeps V8's code cache for each bundle.
 * Either way the cache lives in the user's cache directory (code-cache.ts) and is optional.
 */
import nodeModule from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { CodeCache, codeCacheDir } from './code-cache.js';

/** devlaunch's version, written in by scripts/build.mjs. */
declare const DEVLAUNCH_VERSION: string;

const dir = codeCacheDir(process.env, process.platform, homedir(), {
  devlaunch: DEVLAUNCH_VERSION,
  node: process.version,
  arch: process.arch,
});
const main = join(__dirname, 'main.cjs');
const enableCompileCache = (nodeModule as { enableCompileCache?: (dir?: string) => unknown })
  .enableCompileCache;

if (typeof enableCompileCache === 'function') {
  try {
    if (dir !== undefined) enableCompileCache(dir);
  } catch {
    // An unusable directory only means no cache.
  }
  require(main);
} else {
  const cache = new CodeCache(dir);
  process.once('exit', () => cache.save());
  cache.load(main);
}
