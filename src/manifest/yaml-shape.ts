/**
 * Shapes the YAML parser accepts but a manifest cannot hold, found on the parsed document before
 * it becomes data, so that each is one clear problem instead of a crash, a warning printed by
 * the parser, or a value silently changed:
 * - an alias inside the value its anchor marks (`services: &s {a: {more: *s}}`, or `<<: *s`):
 *   the data would contain itself, and every later step would recurse into it without end;
 * - an alias with no anchor before it;
 * - aliases that repeat aliases until the data is huge (an alias bomb);
 * - a list or map used as a key (`? [a, b]`, `{a: 1}: x`): a key is a name;
 * - keys written differently that read the same (`1` and `"1"`): the data would keep one;
 * - in YAML 1.1, a merge key `<<` of something other than maps;
 * - a tag other than the plain ones (`!!set`, `!!binary`, `!env`), and a value YAML 1.1 reads
 *   as a date: neither is text, a number, a list or a map;
 * - a NUL character, which no command, path or variable can carry.
 * Each problem carries the offset of what it is about, to point at.
 */
import { type Document, isAlias, isMap, isPair, isScalar, isSeq, type Node } from 'yaml';
import type { KeyPath, Problem } from './diagnostics.js';

export interface ShapeProblem extends Problem {
  /** Where to point in the source. */
  offset: number;
}

/** Aliases may add this many values to the manifest; more is refused, not expanded. */
export const MAX_ALIASED_VALUES = 10_000;

const CORE = 'tag:yaml.org,2002:';
const PLAIN_TAGS = new Set(
  ['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => CORE + t),
);

type Ranged = Node & { range?: [number, number, number] | null; anchor?: string; tag?: string };

export function shapeProblems(doc: Document.Parsed, text: string): ShapeProblem[] {
  const problems: ShapeProblem[] = [];
  const anchors = new Map<string, Ranged>();
  const open = new Set<Ranged>();
  /** Values in each anchored node with its aliases expanded, once the node is closed. */
  const sizes = new Map<Ranged, number>();
  let aliased = 0;

  const at = (node: Ranged | null | undefined): number => node?.range?.[0] ?? 0;
  const written = (node: Ranged): string => {
    const all = node.range ? text.slice(node.range[0], node.range[1]).trim() : '';
    const line = all.split(/\r?\n/)[0] ?? '';
    return line.length > 60 || line !== all ? `${line.slice(0, 60)}…` : line;
  };

  const alias = (node: Ranged & { source: string }, path: KeyPath): number => {
    const name = node.source;
    const target = anchors.get(name);
    const problem = (message: string, hint: string) =>
      problems.push({ path, offset: at(node), message, found: `*${name}`, hint });
    if (target === undefined) {
      problem(
        `*${name} refers to no anchor &${name} above it`,
        `put &${name} on the value to repeat, before this alias (anchors must come first)`,
      );
      return 1;
    }
    if (open.has(target)) {
      problem(
        `*${name} is inside the value &${name} marks, so that value would contain itself without end`,
        `a value cannot include itself: copy the keys it needs, or put &${name} on a smaller value that does not contain this alias`,
      );
      return 1;
    }
    const size = sizes.get(target) ?? 1;
    const before = aliased;
    aliased += size;
    if (before <= MAX_ALIASED_VALUES && aliased > MAX_ALIASED_VALUES) {
      problem(
        `with *${name} the aliases repeat more than ${MAX_ALIASED_VALUES} values, far more than a manifest holds (aliases that repeat aliases multiply)`,
        'write the repeated values out where they are needed, or repeat them fewer times',
      );
    }
    return size;
  };

  const plain = (node: Ranged, path: KeyPath, atKey: boolean): void => {
    const base = () => ({ path, atKey, offset: at(node), found: written(node) });
    if (node.tag !== undefined && !PLAIN_TAGS.has(node.tag)) {
      const tag = node.tag.startsWith(CORE) ? `!!${node.tag.slice(CORE.length)}` : node.tag;
      problems.push({
        ...base(),
        offset: tagOffset(text, at(node)),
        found: tag,
        message: `the tag ${tag} makes this something other than text, a number, a list or a map`,
        expected: 'plain YAML: text, numbers, true/false, lists and maps',
        hint: `remove ${tag}`,
      });
      return;
    }
    if (!isScalar(node)) return;
    const { value } = node;
    if (typeof value === 'object' && value !== null) {
      problems.push({
        ...base(),
        message: `YAML reads this as ${value instanceof Date ? 'a date' : 'binary data'}, not text`,
        hint: `quote it ("${written(node)}") to keep it as text`,
      });
    } else if (typeof value === 'string' && value.includes('\0')) {
      problems.push({
        ...base(),
        message:
          'this text contains a NUL character (\\0), which no command, path or variable can carry',
        hint: 'remove the NUL character (the file may have been saved in another encoding)',
        found: JSON.stringify(value),
      });
    }
  };

  const walk = (node: unknown, path: KeyPath, atKey = false): number => {
    if (node === null || node === undefined) return 1;
    if (isAlias(node)) return alias(node as Ranged & { source: string }, path);
    const here = node as Ranged;
    if (here.anchor !== undefined) anchors.set(here.anchor, here);
    plain(here, path, atKey);
    let size = 1;
    if (isMap(node) || isSeq(node)) {
      open.add(here);
      /** Each key as the data will have it, and where it is written. */
      const names = new Map<string, Ranged>();
      for (const [index, item] of node.items.entries()) {
        if (!isPair(item)) {
          size += walk(item, [...path, index]);
          continue;
        }
        const key = item.key as Ranged | null;
        if (isCollection(key) || (isAlias(key) && isCollection(anchors.get(key.source)))) {
          const kind = isAlias(key) ? 'alias' : isSeq(key) ? '[' : '{';
          problems.push({
            path,
            atKey: true,
            offset: at(key),
            ...collectionKey(kind),
            found: written(key as Ranged),
          });
        } else {
          size += walk(key, path, true);
        }
        // The key as data: an alias's value; YAML 1.1 reads a merge key `<<` as a symbol.
        const scalar = isAlias(key) ? anchors.get(key.source) : key;
        const value = isScalar(scalar) ? scalar.value : index;
        const name = typeof value === 'symbol' ? '<<' : String(value ?? '');
        const before = names.get(name);
        if (before !== undefined && key !== null && typeof value !== 'symbol') {
          // Written differently (`1` and `"1"`, `0x10` and `16`, `~` and `""`), read the same:
          // the parser's duplicate check compares them as written, the data would keep one.
          problems.push({
            path: [...path, name],
            atKey: true,
            offset: at(key),
            message: `this key reads as ${JSON.stringify(name)}, like ${written(before)} above: one would replace the other`,
            found: written(key),
            hint: 'rename one of them; quote a key to keep it as written ("0x10")',
          });
        } else if (key !== null) {
          names.set(name, key);
        }
        if (typeof value === 'symbol' && !mergeable(item.value)) {
          problems.push({
            path: [...path, name],
            offset: at(item.value as Ranged) || at(key),
            message: '<< merges maps: this is not a map, an alias of one, or a list of those',
            hint: 'write <<: *name where &name marks a map (or <<: [*a, *b])',
          });
        }
        size += walk(item.value, [...path, name]);
      }
      open.delete(here);
    }
    if (here.anchor !== undefined) sizes.set(here, size);
    return size;
  };

  /** What a YAML 1.1 merge key accepts. */
  const mergeable = (value: unknown): boolean => {
    const one = (v: unknown) => isMap(v) || (isAlias(v) && isMap(anchors.get(v.source)));
    return one(value) || (isSeq(value) && value.items.every(one));
  };

  walk(doc.contents, []);
  return problems;
}

/**
 * Where the tag of the node starting at `start` is written: the node's range begins after its
 * tag (and anchor), and for a block collection on the next line. Falls back to `start`.
 */
function tagOffset(text: string, start: number): number {
  let tag = text.lastIndexOf('!', start);
  if (tag < 0) return start;
  while (tag > 0 && text[tag - 1] === '!') tag--; // `!!set` starts at its first `!`
  return /^!\S*(?:[ \t]+&\S+)?\s*$/.test(text.slice(tag, start)) ? tag : start;
}

/** The problem with a list (`[`), a map (`{`) or an alias of either used as a key. */
export function collectionKey(kind: '[' | '{' | 'alias'): Omit<Problem, 'path'> {
  const what = { '[': 'a list', '{': 'a map', alias: 'an alias of a list or map' }[kind];
  return {
    message: `${what} cannot be a key: keys are names`,
    expected: 'a name, such as backend or PORT',
    hint: 'write the key as a plain name; a list or map belongs after the colon',
  };
}

function isCollection(node: unknown): boolean {
  return isMap(node) || isSeq(node);
}
