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

let cache: CodeCache | undefined;
if (typeof enableCompileCache === 'function') {
  try {
    if (dir !== undefined) enableCompileCache(dir);
  } catch {
    // An unusable directory only means no cache.
  }
  require(main);
} else {
  cache = new CodeCache(dir);
  const kept = cache;
  process.once('exit', () => kept.save());
  cache.load(main);
}

// `up` and `run` stay running for hours. V8 grows the young generation to 16 MB during
// start-up (many new objects survive a scavenge then) and keeps it: pinned at its initial 1 MB
// semi-space, devlaunch with 50 services idles at ≈ 28 MB private memory instead of ≈ 40, and
// memory no longer grows with the number of services through it (docs/benchmarks.md). Set after
// main.cjs is compiled and before the command's bundle is (main requires it a microtask later),
// so each bundle's code cache is always made and used under the same V8 flags. node:v8 is
// required here only: it loads Node's heap utilities and streams, which other commands never need.
// main.cjs itself was compiled before the flag: its cache entry is made now, under the flags it
// is used with (made at exit, V8 would refuse it at every start and it would be written again).
// Without TurboFan (V8's optimizing compiler; its baseline compiler stays): each function it
// optimized during start-up did so on one of V8's worker threads, whose memory from then on sat
// in that thread's malloc arena, 1.3-1.6 MB each, 4-6 MB in all, for as long as devlaunch ran.
// A session whose services print a lot gets it back (app/compact-heap.ts: optimizeOnHeavyOutput).
const command = process.argv[2];
if (command === 'up' || command === 'run') {
  cache?.save();
  (require('node:v8') as typeof import('node:v8')).setFlagsFromString(
    '--semi-space-growth-factor=1 --no-turbofan',
  );
}
