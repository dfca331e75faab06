/**
 * Builds what end-to-end tests run as separate Node processes: the watchdog entry point (as
 * `npm run build` does, when dist/ is missing or older than src/process/), and small TypeScript
 * test programs (bundled into node_modules/.cache, inside the package, so code that walks up
 * to the package root from its own file finds this one).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { waitFor } from './processes.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const common = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  logLevel: 'warning',
  // CommonJS dependencies (cross-spawn, tree-kill) call require() for Node built-ins.
  banner: {
    js: "import { createRequire as __devlaunchCreateRequire } from 'node:module'; const require = __devlaunchCreateRequire(import.meta.url);",
  },
} as const;

function newestSource(dir: string): number {
  return Math.max(...readdirSync(dir).map((f) => statSync(join(dir, f)).mtimeMs));
}

/** dist/process/watchdog-main.cjs, rebuilt if missing or older than any src/process file. */
export async function ensureWatchdogBuilt(): Promise<string> {
  const out = join(root, 'dist', 'process', 'watchdog-main.cjs');
  if (!existsSync(out) || statSync(out).mtimeMs < newestSource(join(root, 'src', 'process'))) {
    const { banner: _esmOnly, ...options } = common;
    await build({
      ...options,
      format: 'cjs',
      entryPoints: [join(root, 'src/process/watchdog-main.ts')],
      outfile: out,
    });
  }
  return out;
}

/** Bundles a TypeScript test program; returns the path of the .mjs to run with node. */
export async function bundleTestProgram(entry: string): Promise<string> {
  const out = join(
    root,
    'node_modules',
    '.cache',
    'devlaunch-test',
    `${basename(entry, '.ts')}.mjs`,
  );
  await build({ ...common, entryPoints: [entry], outfile: out });
  return out;
}

/**
 * The built CLI, rebuilt when dist/ is missing or older than src/, for test runs that do not
 * go through `npm test` (which builds first). Parallel test workers build once, under a lock.
 */
export async function ensureCliBuilt(): Promise<void> {
  const main = join(root, 'dist', 'cli', 'main.cjs');
  const stale = () => !existsSync(main) || statSync(main).mtimeMs < newest(join(root, 'src'));
  if (!stale()) return;
  const lock = join(root, 'node_modules', '.cache', 'devlaunch-build.lock');
  mkdirSync(dirname(lock), { recursive: true });
  await waitFor(
    () => {
      try {
        mkdirSync(lock);
        return true;
      } catch {
        // A lock older than a minute belongs to a worker that died mid-build.
        const since = statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
        if (Date.now() - since > 60_000) rmSync(lock, { recursive: true, force: true });
        return false;
      }
    },
    { timeoutMs: 60_000, intervalMs: 100, what: 'the build lock' },
  );
  try {
    if (stale())
      execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'pipe' });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function newest(dir: string): number {
  let max = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const t = entry.isDirectory()
      ? newest(path)
      : (statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? 0);
    if (t > max) max = t;
  }
  return max;
}
