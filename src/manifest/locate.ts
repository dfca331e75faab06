/**
 * Maps a key path (`services.backend.port`) to a line and column in the YAML source, using the
 * `yaml` package's node ranges. Wrong values point at the value; unknown or duplicate keys at
 * the key; a missing key at the key of the map that lacks it.
 */

import type { Document } from 'yaml';
import { isMap, isPair, isScalar, isSeq, type LineCounter, type Node, type ParsedNode } from 'yaml';
import type { KeyPath } from './diagnostics.js';

export interface Position {
  line: number;
  column: number;
}

type Ranged = Node & { range?: [number, number, number] | null };

function keyText(key: unknown): string | undefined {
  // A null key (`~:` or an empty `? `) is the empty name once the YAML becomes data.
  if (isScalar(key)) return key.value === null ? '' : String(key.value);
  return typeof key === 'string' ? key : undefined;
}

/**
 * A map's pairs by key text, or a list's scalar items by text, the first of each: built once
 * per node, so placing each of thousands of problems does not search the services map again.
 */
const byName = new WeakMap<object, Map<string, unknown>>();

function named<T>(items: readonly T[], name: (item: T) => string | undefined): Map<string, T> {
  let index = byName.get(items) as Map<string, T> | undefined;
  if (index === undefined) {
    index = new Map();
    for (const item of items) {
      const text = name(item);
      if (text !== undefined && !index.has(text)) index.set(text, item);
    }
    byName.set(items, index);
  }
  return index;
}

/** The node to point at for `path`, as an offset into the source. */
export function offsetOf(doc: Document.Parsed, path: KeyPath, atKey = false): number {
  let node: unknown = doc.contents;
  let key: Ranged | undefined;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = named(node.items, (p) => keyText(p.key)).get(String(segment));
      if (pair === undefined) return start(key) ?? start(node as Ranged) ?? 0;
      key = pair.key as Ranged;
      node = pair.value;
    } else if (isSeq(node)) {
      const item =
        typeof segment === 'number'
          ? node.items[segment]
          : named(node.items, (i) => (isScalar(i) ? String(i.value) : undefined)).get(segment);
      if (item === undefined) return start(node as Ranged) ?? start(key) ?? 0;
      key = item as Ranged;
      node = item;
    } else {
      // A scalar where a list was possible (`env_file: .env` for env_file[0]): the scalar.
      break;
    }
  }
  const value = node as Ranged | null;
  if (atKey && key) return start(key) ?? 0;
  // An empty value (`port:`) or a block map/list: the key reads better than the next line.
  const empty = value === null || (isScalar(value) && value.value === null);
  const block = (isMap(value) || isSeq(value)) && !value.flow;
  if ((empty || block) && key) return start(key) ?? 0;
  return start(value ?? undefined) ?? start(key) ?? 0;
}

function start(node: Ranged | undefined): number | undefined {
  return node?.range?.[0] ?? undefined;
}

export function locate(
  doc: Document.Parsed,
  lineCounter: LineCounter,
  path: KeyPath,
  atKey = false,
): Position {
  const { line, col } = lineCounter.linePos(offsetOf(doc, path, atKey));
  return { line, column: col };
}

/** The key path of the map key at `offset`, e.g. for a duplicate key the parser reports. */
export function pathAt(doc: Document.Parsed, offset: number): (string | number)[] {
  const walk = (node: unknown, path: (string | number)[]): (string | number)[] | undefined => {
    if (isMap(node) || isSeq(node)) {
      for (const [index, item] of node.items.entries()) {
        if (isPair(item)) {
          const k = item.key as ParsedNode | null;
          const name = keyText(k) ?? String(index);
          if (k?.range && offset >= k.range[0] && offset < k.range[1]) return [...path, name];
          const inner = walk(item.value, [...path, name]);
          if (inner) return inner;
        } else {
          const inner = walk(item, [...path, index]);
          if (inner) return inner;
        }
      }
    }
    return undefined;
  };
  return walk(doc.contents, []) ?? [];
}

/** The key path of the deepest key or value that holds `offset`; [] when none does. */
export function pathContaining(doc: Document.Parsed, offset: number): (string | number)[] {
  const holds = (node: unknown): boolean => {
    const range = (node as Ranged | null)?.range;
    return range !== undefined && range !== null && offset >= range[0] && offset < range[1];
  };
  const walk = (node: unknown, path: (string | number)[]): (string | number)[] => {
    if (!isMap(node) && !isSeq(node)) return path;
    for (const [index, item] of node.items.entries()) {
      if (isPair(item)) {
        const name = keyText(item.key) ?? String(index);
        if (holds(item.key)) return [...path, name];
        if (holds(item.value)) return walk(item.value, [...path, name]);
      } else if (holds(item)) {
        return walk(item, [...path, index]);
      }
    }
    return path;
  };
  return walk(doc.contents, []);
}
