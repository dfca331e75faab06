/**
 * Which manifest to use: `-f/--file`, then `DEVLAUNCH_FILE` (relative to the current
 * directory), then `launcher.yaml` / `launcher.yml` found by walking up from the current
 * directory, the way git finds `.git`.
 */
import { lstatSync, statSync } from 'node:fs';
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

/**
 * What is at `path`: a file (or a link to one), nothing, or something that cannot be a manifest
 * (a directory, a link to nothing, a loop of links, a device), said in words.
 */
function entry(path: string): 'file' | 'none' | string {
  try {
    const stat = statSync(path);
    if (stat.isFile()) return 'file';
    return stat.isDirectory() ? 'is a directory, not a file' : 'is not a regular file';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') return 'is a loop of symbolic links';
    try {
      lstatSync(path);
    } catch {
      return 'none';
    }
    return code === 'ENOENT' ? 'is a symbolic link to nothing' : `cannot be read (${code})`;
  }
}

function given(path: string, from: string): string {
  const absolute = resolve(from, path);
  const found = entry(absolute);
  if (found === 'file') return absolute;
  throw new DevlaunchError(
    'MANIFEST_NOT_FOUND',
    found === 'none' ? `manifest ${path} not found (${from})` : `${absolute} ${found}`,
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
      const found = entry(candidate);
      if (found === 'file') return candidate;
      // Not skipped: the search would go on to a manifest above, of another project.
      if (found !== 'none') {
        throw new DevlaunchError('MANIFEST_NOT_FOUND', `${candidate} ${found}`, {
          hint: 'rename or remove it, or point to the manifest with -f PATH',
        });
      }
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
