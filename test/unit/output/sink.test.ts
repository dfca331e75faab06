import { readdirSync } from 'node:fs';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { OutputSink } from '../../../src/output/sink.js';
import { cleanedTempDirs } from './helpers.js';

const spillDir = cleanedTempDirs();
afterEach(() => {
  vi.useRealTimers();
});

/** A reader that takes nothing until released, like a paused terminal or pipe. */
class Stalled extends Writable {
  readonly chunks: Buffer[] = [];
  #held: Array<() => void> = [];
  #flowing = false;

  constructor() {
    super({ highWaterMark: 16 << 10 });
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    // A copy, as a socket or file takes: once a write is done, the sink reuses its memory.
    this.chunks.push(Buffer.from(chunk));
    if (this.#flowing) setImmediate(done);
    else this.#held.push(done);
  }

  release(): void {
    this.#flowing = true;
    for (const done of this.#held.splice(0)) done();
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('latin1');
  }
}

function block(from: number, count: number): Buffer {
  let text = '';
  for (let i = from; i < from + count; i++) text += `line ${i} ${'x'.repeat(i % 90)}\n`;
  return Buffer.from(text);
}

describe('OutputSink', () => {
  it('holds a few MB in memory behind a stalled reader, the rest on disk, and delivers all in order', async () => {
    const dest = new Stalled();
    const dir = spillDir();
    const sink = new OutputSink({ dest, owned: false, spillDir: dir, name: 'stdout' });
    const written: Buffer[] = [];
    let n = 0;
    while (n < 400_000) {
      const b = block(n, 1000);
      written.push(b);
      sink.write(b);
      n += 1000;
    }
    const total = written.reduce((s, b) => s + b.length, 0);
    expect(total).toBeGreaterThan(20e6);
    const stats = sink.stats();
    // Memory: the 4 MiB limit plus what was handed to the reader, never the whole backlog.
    expect(stats.maxMemory).toBeLessThan(6 << 20);
    expect(stats.spilled).toBeGreaterThan(total - (6 << 20));
    // The spill file is not visible (unlinked while open).
    expect(readdirSync(dir)).toEqual([]);
    dest.release();
    await sink.close(5000);
    expect(Buffer.concat(dest.chunks).equals(Buffer.concat(written))).toBe(true);
    expect(sink.stats().dropped).toBe(0);
  });

  it("shows devlaunch's own messages ahead of the backlog, at a line boundary", async () => {
    const dest = new Stalled();
    const sink = new OutputSink({
      dest,
      owned: false,
      spillDir: spillDir(),
      name: 'stdout',
      memoryLimit: 1 << 20,
    });
    for (let n = 0; n < 200_000; n += 1000) sink.write(block(n, 1000));
    sink.urgent(Buffer.from('devlaunch » stopping\n'));
    dest.release();
    await sink.close(5000);
    const text = dest.text();
    const at = text.indexOf('devlaunch » '.replace('»', '\u00c2\u00bb'));
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThan(text.length / 2);
    expect(text[at - 1]).toBe('\n');
    const lines = text.split('\n').filter((l) => l.startsWith('line '));
    expect(lines).toHaveLength(200_000);
    expect(lines.every((l, i) => l.startsWith(`line ${i} `))).toBe(true);
  });

  it('keeps order when nothing is held back: messages land between the lines written around them', async () => {
    const chunks: string[] = [];
    const dest = new Writable({
      write(chunk, _enc, done) {
        chunks.push(chunk.toString());
        done();
      },
    });
    const sink = new OutputSink({ dest, owned: false, spillDir: spillDir(), name: 'stdout' });
    sink.write(Buffer.from('a\n'));
    sink.urgent(Buffer.from('msg\n'));
    sink.write(Buffer.from('b\n'));
    await sink.close(1000);
    expect(chunks.join('')).toBe('a\nmsg\nb\n');
  });

  it('gives up on a reader that takes nothing for the stall time, and says how much was dropped', async () => {
    const dest = new Stalled();
    const sink = new OutputSink({ dest, owned: false, spillDir: spillDir(), name: 'stdout' });
    for (let n = 0; n < 100_000; n += 1000) sink.write(block(n, 1000));
    // The stall is timed on a fake clock: exactly when it gives up, whatever the machine's load.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'performance'] });
    let closed = false;
    const closing = sink.close(300).then(() => {
      closed = true;
    });
    await vi.advanceTimersByTimeAsync(260);
    expect(closed).toBe(false);
    await vi.advanceTimersByTimeAsync(60);
    expect(closed).toBe(true);
    await closing;
    expect(sink.stats().dropped).toBeGreaterThan(0);
  });

  it('writes nothing more once dropped (a closed terminal)', async () => {
    const chunks: string[] = [];
    const dest = new Writable({
      write(chunk, _enc, done) {
        chunks.push(chunk.toString());
        done();
      },
    });
    const sink = new OutputSink({ dest, owned: false, spillDir: spillDir(), name: 'stdout' });
    sink.write(Buffer.from('before\n'));
    sink.drop();
    sink.write(Buffer.from('after\n'));
    sink.urgent(Buffer.from('message\n'));
    await sink.close(1000);
    expect(chunks.join('')).toBe('before\n');
  });

  it('stops writing to a reader that failed, without throwing', async () => {
    const dest = new Writable({
      write(_chunk, _enc, done) {
        done(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      },
    });
    const sink = new OutputSink({ dest, owned: false, spillDir: spillDir(), name: 'stdout' });
    sink.write(Buffer.from('a\n'));
    await new Promise((resolve) => setImmediate(resolve));
    sink.write(Buffer.from('b\n'));
    await sink.close(1000);
    expect(sink.backlog).toBe(0);
  });
});
