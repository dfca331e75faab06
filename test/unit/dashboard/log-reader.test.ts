/** Paging a log file by byte offset: whole lines only, any size, across chunk boundaries. */
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readAfter, readBefore } from '../../../src/dashboard/log-reader.js';

const dir = mkdtempSync(join(tmpdir(), 'devlaunch-logreader-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const numbered = (n: number) => Array.from({ length: n }, (_, i) => `line ${i}`);

describe('readBefore', () => {
  it('reads the last lines, leaving an unfinished one out', async () => {
    const path = file('a.log', 'one\ntwo\nthree\npart');
    const page = await readBefore(path, undefined, 2);
    expect(page.lines).toEqual(['two', 'three']);
    expect(page.start).toBe(4);
    expect(page.end).toBe(14);
    expect(page.size).toBe(18);
    expect((await readBefore(path, page.start, 10)).lines).toEqual(['one']);
    expect((await readBefore(path, 0, 10)).lines).toEqual([]);
  });

  it('pages back through a file of many chunks without losing or repeating a line', async () => {
    const all = numbered(30_000); // ≈ 300 kB: several 64 kB chunks
    const path = file('big.log', `${all.join('\n')}\n`);
    const seen: string[] = [];
    let before: number | undefined;
    for (;;) {
      const page = await readBefore(path, before, 777);
      if (page.lines.length === 0) break;
      seen.unshift(...page.lines);
      before = page.start;
    }
    expect(seen).toEqual(all);
  });

  it('reads a line longer than a chunk whole', async () => {
    const long = 'x'.repeat(200_000);
    const path = file('long.log', `a\n${long}\nb\n`);
    expect((await readBefore(path, undefined, 2)).lines).toEqual([long, 'b']);
  });

  it('gives an empty page for a file that does not exist yet', async () => {
    expect(await readBefore(join(dir, 'none.log'), undefined, 5)).toEqual({
      lines: [],
      start: 0,
      end: 0,
      size: 0,
    });
  });
});

describe('readAfter', () => {
  it('pages forward to the end, then finds lines written later', async () => {
    const all = numbered(20_000);
    const path = file('fwd.log', `${all.join('\n')}\nunfinished`);
    const seen: string[] = [];
    let after = 0;
    for (;;) {
      const page = await readAfter(path, after, 1500);
      if (page.lines.length === 0) break;
      seen.push(...page.lines);
      after = page.end;
    }
    expect(seen).toEqual(all);
    appendFileSync(path, ' now\nmore\n');
    expect((await readAfter(path, after, 10)).lines).toEqual(['unfinished now', 'more']);
  });
});
