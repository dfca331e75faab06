/**
 * The one place env files are read. Values are taken as dotenv parses them and are not
 * `${}`-expanded by devlaunch (dotenv semantics, as with `node --env-file`): a `.env` shared
 * with other tools means the same thing to all of them. Expansion happens in the manifest's
 * `env:` and `command`, which may refer to anything a dotenv file sets.
 */

import { readFileSync, statSync } from 'node:fs';
import { parse } from 'dotenv';
import { DevlaunchError } from '../errors.js';
import type { EnvProject } from './types.js';

/** Every dotenv file the manifest names (global first, then each service's), without repeats. */
export function dotenvPaths(manifest: EnvProject): string[] {
  const paths = [...manifest.env_file];
  for (const service of Object.values(manifest.services)) paths.push(...service.env_file);
  return [...new Set(paths)];
}

/**
 * Reads dotenv files. A file that is missing or cannot be read throws
 * `DevlaunchError('MANIFEST_INVALID')` naming it. Returns absolute path -> parsed variables.
 */
export function loadDotenvFiles(paths: string[]): Record<string, Record<string, string>> {
  const result: Record<string, Record<string, string>> = {};
  for (const path of paths) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const reason = code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? error})`;
      throw new DevlaunchError('MANIFEST_INVALID', `env_file ${path} ${reason}`, {
        hint: 'create the file, or remove it from env_file in the manifest',
        cause: error,
      });
    }
    result[path] = parse(text);
  }
  return result;
}

/**
 * The parsed file, or null when it does not exist or cannot be read (validation's view; the
 * manifest's rules say why). A device other than /dev/null is not read (it may never end), nor
 * a file over 8 MiB.
 */
export function readDotenvIfPresent(path: string): Record<string, string> | null {
  try {
    const stat = statSync(path);
    if (!stat.isFile() && !stat.isFIFO() && path !== '/dev/null') return null;
    if (stat.size > 8 * 1024 * 1024) return null; // refused by validation too, unread
    return parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}
