/** Log files: complete and in order, a long line written in the background, memory bounded. */
import { readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LogFiles, logFilePath } from '../../../src/output/log-files.js';
import { cleanedTempDirs } from './helpers.js';

const logDir = cleanedTempDirs();

/** A long line in `count` pieces of `size` bytes, each piece its own letter (order shows). */
function longLine(count: number, size: number): Buffer[] {
  return Array.from({ length: count }, (_, i) =>
    Buffer.alloc(size, String.fromCharCode(97 + (i % 26))),
  );
}

describe('LogFiles', () => {
  it('writes a long line held in pieces between other lines, in order, in any number of pieces', async () => {
    const dir = logDir();
    const logs = new LogFiles(dir);
    // More pieces than one writev takes (1024 on Linux).
    const pieces = longLine(3000, 100);
    const reused = Buffer.from('before\n');
    logs.write('api', reused);
    reused.fill('-'); // the caller reuses its buffer: what was written before is a copy
    logs.writeHeld('api', pieces);
    logs.write('api', '\nafter\n');
    await logs.close();
    const expected = `before\n${Buffer.concat(pieces).toString()}\nafter\n`;
    expect(readFileSync(logFilePath(dir, 'api'), 'utf8') === expected).toBe(true);
  });

  it('writes a long line in the background, not at once, even far beyond the queue limit', async () => {
    const dir = logDir();
    const logs = new LogFiles(dir);
    const file = logFilePath(dir, 'big');
    logs.write('big', 'first\n'); // a write is under way from here on
    const line = longLine(128, 64 << 10); // 8 MiB, twice the queue limit
    logs.writeHeld('big', line);
    logs.write('big', 'x'.repeat(1000)); // an ordinary write behind it: still not at once
    logs.write('big', '\n');
    // Nothing of the long line was written during these calls.
    expect(statSync(file).size).toBeLessThanOrEqual('first\n'.length);
    await logs.close();
    const expected = Buffer.concat([
      Buffer.from('first\n'),
      ...line,
      Buffer.from(`${'x'.repeat(1000)}\n`),
    ]);
    expect(readFileSync(file).equals(expected)).toBe(true);
  });

  it('holds at most one long line per file: a second one first writes what waits', async () => {
    const dir = logDir();
    const logs = new LogFiles(dir);
    const file = logFilePath(dir, 'big');
    logs.write('big', 'first\n');
    const one = longLine(16, 64 << 10);
    const two = longLine(16, 64 << 10).reverse();
    logs.writeHeld('big', [...one, Buffer.from('\n')]);
    logs.writeHeld('big', [...two, Buffer.from('\n')]);
    // The first long line is on disk already (written at once), the second waits.
    expect(statSync(file).size).toBe('first\n'.length + (16 << 16) + 1);
    await logs.close();
    const nl = Buffer.from('\n');
    const expected = Buffer.concat([Buffer.from('first\n'), ...one, nl, ...two, nl]);
    expect(readFileSync(file).equals(expected)).toBe(true);
  });
});

/** Resolves once `check()` holds, polling every 5 ms; rejects after `ms`. */
async function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('LogFiles, a long line waiting for the terminal', () => {
  it('writes the line, and what follows it, once the terminal has taken it', async () => {
    const dir = logDir();
    const logs = new LogFiles(dir);
    const file = logFilePath(dir, 'big');
    let taken = () => {};
    logs.write('big', 'first\n');
    logs.writeHeld(
      'big',
      [...longLine(16, 64 << 10), Buffer.from('\n')],
      new Promise<void>((resolve) => {
        taken = resolve;
      }),
    );
    logs.write('big', 'after\n');
    await until(() => statSync(file).size === 'first\n'.length);
    await new Promise((resolve) => setImmediate(resolve));
    expect(statSync(file).size).toBe('first\n'.length); // the line waits, and so does 'after'
    taken();
    await until(() => statSync(file).size === 'first\n'.length + (16 << 16) + 1 + 'after\n'.length);
    await logs.close();
    expect(readFileSync(file, 'utf8').endsWith('\nafter\n')).toBe(true);
  });

  it('writes everything at close, taken or not', async () => {
    const dir = logDir();
    const logs = new LogFiles(dir);
    const line = longLine(4, 64 << 10);
    logs.writeHeld('big', line, new Promise(() => {}));
    logs.write('big', '\nlast\n');
    await logs.close();
    const expected = Buffer.concat([...line, Buffer.from('\nlast\n')]);
    expect(readFileSync(logFilePath(dir, 'big')).equals(expected)).toBe(true);
  });
});
