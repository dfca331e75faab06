/**
 * Duplicate keys in one pass. The parser's own check (`uniqueKeys`) compares each key with every
 * key before it in its map, so a map of n keys costs n²/2 comparisons: 2·10⁸ for the services
 * of a 20,000-service manifest, seconds of CPU. The manifest is parsed without that check and
 * this finds the same duplicates with one set per map, reported exactly as the parser reports
 * them: the same error, at the same offset, in the same order.
 */
import {
  type CST,
  type Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  type LineCounter,
  type Node,
  type Pair,
  parseDocument,
  type YAMLMap,
  YAMLParseError,
} from 'yaml';

type SourceToken = CST.SourceToken;

/**
 * How validation parses a manifest. logLevel 'error': the parser prints no warnings of its own;
 * what it would warn about is found first (yaml-shape.ts) and reported like every other problem.
 */
export const PARSE_OPTIONS = { logLevel: 'error', prettyErrors: false } as const;

/**
 * `parseDocument(text, { ...PARSE_OPTIONS, lineCounter, uniqueKeys: true })`, with the same
 * document and the same errors, in time that grows linearly with the size of the manifest
 * (unless the YAML is both broken and has a repeated key: then the parser's own check decides
 * where the duplicates fall among its other errors).
 */
export function parseManifestYaml(text: string, lineCounter: LineCounter): Document.Parsed {
  const doc = parseDocument(text, { ...PARSE_OPTIONS, lineCounter, uniqueKeys: false });
  if (doc.errors.length === 0 && duplicateKeys(doc).length === 0) return doc;
  if (doc.errors.length === 0) {
    // Rare (a mistake to report): parsed again with the source tokens that tell where the
    // parser reports each duplicate.
    lineCounter.lineStarts.length = 0;
    const sourced = parseDocument(text, {
      ...PARSE_OPTIONS,
      lineCounter,
      uniqueKeys: false,
      keepSourceTokens: true,
    });
    const starts = duplicateKeys(sourced).map(reportedAt);
    if (starts.every((at) => at !== undefined)) {
      for (const at of starts) {
        sourced.errors.push(
          new YAMLParseError([at, at + 1], 'DUPLICATE_KEY', 'Map keys must be unique'),
        );
      }
      return sourced;
    }
  } else if (duplicateKeys(doc).length === 0) {
    return doc; // the check adds nothing but DUPLICATE_KEY errors
  }
  lineCounter.lineStarts.length = 0;
  return parseDocument(text, { ...PARSE_OPTIONS, lineCounter, uniqueKeys: true });
}

/** A key of a map, by its place in the map. */
interface KeyAt {
  map: YAMLMap<unknown, unknown>;
  index: number;
}

/**
 * Where the parser reports a repeated key: the end of what precedes the key in its item (the
 * indentation, a `?`, an anchor or a tag, a comment), else where the item before it ended. Needs
 * the source tokens; undefined where they do not tell.
 */
function reportedAt({ map, index }: KeyAt): number | undefined {
  const pair = map.items[index] as Pair & { srcToken?: { start: SourceToken[] } };
  const start = pair.srcToken?.start;
  if (start === undefined) return undefined;
  const last = start.at(-1);
  if (last !== undefined) return last.offset + last.source.length;
  // Items of a flow map after the first start with their comma: only a block map gets here.
  const before = map.items[index - 1] as Pair | undefined;
  const range = (before?.value as Ranged | null | undefined)?.range;
  return map.flow || !range ? undefined : range[2];
}

type Ranged = Node & { range?: [number, number, number] | null };

/**
 * Every key equal to an earlier key of its map, as the parser compares them (the same node, or
 * scalars with `===` values), in the order the parser finds them: a block map's key before what
 * its value holds, a flow map's key after it (the parser composes a flow pair whole first).
 */
export function duplicateKeys(doc: Document.Parsed): KeyAt[] {
  const found: KeyAt[] = [];
  // A stack of nodes still to visit and of keys to check once what precedes them is visited.
  type Step = { visit: unknown } | { check: KeyAt; seen: Set<unknown> };
  const steps: Step[] = [{ visit: doc.contents }];
  for (let step = steps.pop(); step !== undefined; step = steps.pop()) {
    if ('check' in step) {
      const key = step.check.map.items[step.check.index]?.key;
      const value = isScalar(key) ? key.value : key;
      // NaN is never `===` itself: the parser never finds `.nan` twice.
      if (Number.isNaN(value)) continue;
      if (step.seen.has(value)) found.push(step.check);
      else step.seen.add(value);
      continue;
    }
    const node = step.visit;
    if (isAlias(node)) continue;
    if (isMap(node)) {
      const seen = new Set<unknown>();
      const later: Step[] = [];
      for (const [index, pair] of node.items.entries()) {
        const check = { check: { map: node, index }, seen };
        if (node.flow) later.push({ visit: pair.key }, { visit: pair.value }, check);
        else later.push({ visit: pair.key }, check, { visit: pair.value });
      }
      for (let i = later.length - 1; i >= 0; i--) steps.push(later[i] as Step);
    } else if (isSeq(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) {
        const item = node.items[i];
        // Pairs in a list: an ordered map (`!!omap`), made of one-key maps.
        if (isPair(item)) steps.push({ visit: item.value }, { visit: item.key });
        else steps.push({ visit: item });
      }
    }
  }
  return found;
}
