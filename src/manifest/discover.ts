/**
 * Which manifest to use: `-f/--file`, then `DEVLAUNCH_FILE` (relative to the current
 * directory), then `launcher.yaml` / `launcher.yml` found by walking up from the current
 * directory, the way git finds `.git`.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DevlaunchError } from '../errors.js';

export interface LoadOptions {
  /** `-f/--file`; overrides everything else. Relative to `cwd`. Default: not given. */
  file?: string;
  /** Where discovery starts and relative paths are taken from. */
  cwd: string;
  /** Read for `DEVLAUNCH_FILE`, and for `${VAR}` during validation. */
  env: Record<string, string | undefined>;
}

export const MANIFEST_NAMES = ['launcher.yaml', 'launcher.yml'] as const;

const isFile = (path: string): boolean => {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
};

function given(path: string, from: string): string {
  const absolute = resolve(from, path);
  if (isFile(absolute)) return absolute;
  throw new DevlaunchError(
    'MANIFEST_NOT_FOUND',
    existsSync(absolute)
      ? `${from === '' ? path : absolute} is not a file`
      : `manifest ${path} not found (${from})`,
    { hint: 'check the path given with -f/--file or DEVLAUNCH_FILE' },
  );
}

/** Absolute path of the manifest to use; throws MANIFEST_NOT_FOUND when there is none. */
export function findManifest(opts: LoadOptions): string {
  if (opts.file !== undefined && opts.file !== '') return given(opts.file, opts.cwd);
  const fromEnv = opts.env.DEVLAUNCH_FILE;
  if (fromEnv !== undefined && fromEnv !== '') return given(fromEnv, opts.cwd);
  let dir = resolve(opts.cwd);
  for (;;) {
    for (const name of MANIFEST_NAMES) {
      const candidate = join(dir, name);
      if (isFile(candidate)) return candidate;
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new DevlaunchError(
    'MANIFEST_NOT_FOUND',
    `no launcher.yaml or launcher.yml in ${resolve(opts.cwd)} or any folder above it`,
    { hint: 'run devlaunch init to write one, or point to it with -f PATH' },
  );
}
