/**
 * Duplicate keys found in one pass (duplicate-keys.ts) are reported exactly as the parser's own
 * check reports them: the same errors at the same offsets in the same order, the same document.
 */

import { describe, expect, it } from 'vitest';
import { type Document, LineCounter, parseDocument } from 'yaml';
import { parseManifestYaml } from '../../../src/manifest/duplicate-keys.js';

const KEYS = ['a', 'a', '"a"', "'a'", '1', '01', '1.0', '~', 'null', '', '&x a', '!!str a', '? a'];
const MORE_KEYS = ['.nan', 'true', 'True', '*x', '[a]', '{a: 1}', '{a: 1, a: 2}', '-0', 'a # c'];
const VALUES = ['1', '', 'x', '{a: 1, a: 2}', '[1, {b: 1, b: 2}]', '&y v', '*y', '|\n    text'];
const NESTED = ['\n    b: 1\n    b: 2', '\n    - c: 1\n      c: 2'];

/** A small seeded generator (mulberry32): the same documents on every run. */
function random(seed: number): (n: number) => number {
  let s = seed;
  return (n) => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

function document(pick: (n: number) => number): string {
  const keys = [...KEYS, ...MORE_KEYS];
  const values = [...VALUES, ...NESTED];
  const count = 1 + pick(5);
  if (pick(10) < 3) {
    const pairs = Array.from(
      { length: count },
      () => `${keys[pick(keys.length)]}: ${VALUES[pick(4)]}`,
    );
    return `m: {${pairs.join(', ')}}\nz: 1\n`;
  }
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const key = keys[pick(keys.length)] as string;
    const value = values[pick(values.length)] as string;
    lines.push(key.startsWith('? ') ? `${key}\n: ${value}` : `${key}: ${value}`);
    if (pick(10) < 2) lines.push('# a comment');
    if (pick(10) < 1) lines.push('');
  }
  const nested = pick(10) < 3;
  return `${nested ? `top:\n${lines.map((l) => `  ${l.replace(/\n/g, '\n  ')}`).join('\n')}` : lines.join('\n')}\n`;
}

const errors = (doc: Document.Parsed) => doc.errors.map((e) => [e.code, e.message, e.pos]);
const data = (doc: Document.Parsed) => {
  try {
    return doc.toJS({ maxAliasCount: -1 });
  } catch (error) {
    return String(error);
  }
};

describe('parseManifestYaml', () => {
  it('reports what the parser reports with its own duplicate check, on 1,500 documents', () => {
    const pick = random(20261128);
    let duplicates = 0;
    for (let i = 0; i < 1500; i++) {
      const text = document(pick);
      const expectedLines = new LineCounter();
      const expected = parseDocument(text, {
        lineCounter: expectedLines,
        logLevel: 'error',
        prettyErrors: false,
        uniqueKeys: true,
      });
      const lines = new LineCounter();
      const doc = parseManifestYaml(text, lines);
      expect(errors(doc), text).toEqual(errors(expected));
      expect(lines.lineStarts, text).toEqual(expectedLines.lineStarts);
      expect(data(doc), text).toEqual(data(expected));
      if (expected.errors.some((e) => e.code === 'DUPLICATE_KEY')) duplicates++;
    }
    expect(duplicates).toBeGreaterThan(500); // the documents do test duplicates
  });

  // The parser's own check compares each key with every one before it: 5·10⁹ comparisons
  // here, minutes. One pass takes a second or two; nothing is timed, the timeout is generous.
  it('finds the repeated key at the end of a map of 100,000 keys', { timeout: 120_000 }, () => {
    const keys = Array.from({ length: 100_000 }, (_, i) => `  s${i}: 1\n`);
    const text = `services:\n${keys.join('')}  s7: 2\n`;
    const doc = parseManifestYaml(text, new LineCounter());
    const at = text.lastIndexOf('s7');
    expect(errors(doc)).toEqual([['DUPLICATE_KEY', 'Map keys must be unique', [at, at + 1]]]);
  });
});
