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

/** The value of a name in a layer or a merge of layers, or undefined when it has none. */
export type LayerLookup = (name: string) => string | undefined;

/**
 * Folded lookups of layers, kept per layer object: the layers every service shares (dotenv
 * files, devlaunch's own environment, the injected variables) are folded once, not per service.
 */
export type LayerCache = WeakMap<EnvLayer, LayerLookup>;

/**
 * `lookupIn(mergeEnv(layers, platform), platform)` without building the merged map: the layers
 * are asked highest first. Its cost does not grow with the size of the layers (once each is in
 * `cache` on win32), so a check of every service against every service's variables stays linear.
 */
export function layeredLookup(
  layers: readonly EnvLayer[],
  platform: NodeJS.Platform,
  cache: LayerCache = new WeakMap(),
): LayerLookup {
  const lookups = layers.map((layer) => layerLookup(layer, platform, cache)).reverse();
  return (name) => {
    for (const lookup of lookups) {
      const value = lookup(name);
      if (value !== undefined) return value;
    }
    return undefined;
  };
}

function layerLookup(layer: EnvLayer, platform: NodeJS.Platform, cache: LayerCache): LayerLookup {
  if (!caseInsensitive(platform)) {
    return (name) => (Object.hasOwn(layer, name) ? layer[name] : undefined);
  }
  let lookup = cache.get(layer);
  if (lookup === undefined) {
    // Within one layer the last spelling of a name wins, as in mergeEnv.
    const folded = new Map<string, string>();
    for (const [name, value] of Object.entries(layer)) {
      if (value !== undefined) folded.set(name.toUpperCase(), value);
    }
    lookup = (name) => folded.get(name.toUpperCase());
    cache.set(layer, lookup);
  }
  return lookup;
}
