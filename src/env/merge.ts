/**
 * Layering of environment maps. On Windows variable names are case-insensitive (`PATH` and
 * `Path` are one variable), but a plain object keeps both spellings and a child process then
 * gets whichever the OS picks first. So on win32 a later layer's name replaces every other-cased
 * spelling of it from earlier layers, and the injected layer, applied last, always wins.
 */

import { dict } from '../dict.js';

export type EnvLayer = Readonly<Record<string, string | undefined>>;

/** Whether variable names are case-insensitive on this platform (only Windows). */
export function caseInsensitive(platform: NodeJS.Platform): boolean {
  return platform === 'win32';
}

/**
 * Merges layers, lowest first: a later layer's value replaces an earlier one. Undefined values
 * (as `process.env` may hold) are skipped.
 */
export function mergeEnv(
  layers: readonly EnvLayer[],
  platform: NodeJS.Platform,
): Record<string, string> {
  const result = dict<string>();
  const fold = caseInsensitive(platform);
  // Upper-cased name -> the spelling currently in `result` (win32 only).
  const spelling = new Map<string, string>();
  for (const layer of layers) {
    for (const [name, value] of Object.entries(layer)) {
      if (value === undefined) continue;
      if (fold) {
        const key = name.toUpperCase();
        const previous = spelling.get(key);
        if (previous !== undefined && previous !== name) delete result[previous];
        spelling.set(key, name);
      }
      result[name] = value;
    }
  }
  return result;
}

/** Looks a name up in a merged map, ignoring case on win32 (as the OS would). */
export function lookupIn(
  env: Readonly<Record<string, string>>,
  platform: NodeJS.Platform,
): (name: string) => string | undefined {
  if (!caseInsensitive(platform)) {
    return (name) => (Object.hasOwn(env, name) ? env[name] : undefined);
  }
  const folded = new Map<string, string>();
  for (const [name, value] of Object.entries(env)) folded.set(name.toUpperCase(), value);
  return (name) => folded.get(name.toUpperCase());
}
