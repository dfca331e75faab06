/**
 * Builds what end-to-end tests run as separate Node processes: the watchdog entry point (as
 * `npm run build` does, when dist/ is missing or older than src/process/), and small TypeScript
 * test programs (bundled into node_modules/.cache, inside the package, so code that walks up
 * to the package root from its own file finds this one).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

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

/** dist/process/watchdog-main.js, rebuilt if missing or older than any src/process file. */
export async function ensureWatchdogBuilt(): Promise<string> {
  const out = join(root, 'dist', 'process', 'watchdog-main.js');
  if (!existsSync(out) || statSync(out).mtimeMs < newestSource(join(root, 'src', 'process'))) {
    await build({
      ...common,
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
