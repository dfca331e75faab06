/** A long line: the terminal gets it first, its log right after, other services meanwhile. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ServiceOutput } from '../../../src/output/service-output.js';
import { cleanedTempDirs } from './helpers.js';

const logDir = cleanedTempDirs();

/** A terminal that takes nothing until opened. */
class Gated extends Writable {
  readonly chunks: Buffer[] = [];
  #open = false;
  #waiting: Array<() => void> = [];

  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.chunks.push(chunk);
    if (this.#open) done();
    else this.#waiting.push(done);
  }

  openUp(): void {
    this.#open = true;
    for (const done of this.#waiting.splice(0)) done();
  }

  text(): string {
    return Buffer.concat(this.chunks).toString();
  }
}

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('ServiceOutput, a long line', () => {
  it('is logged once the terminal has taken it, whole, with the lines after it', async () => {
    const dir = logDir();
    const out = new Gated();
    const output = new ServiceOutput({ out, color: false, names: ['big'], logDir: dir });
    const source = new PassThrough();
    output.attach('big', source, 'stdout');
    const size = 1 << 20;
    const piece = 'x'.repeat(64 << 10);
    for (let sent = 0; sent < size; sent += piece.length) source.write(piece);
    source.write('\n');
    await until(() => output.lastLines('big').length === 1);
    source.write('next\n');
    await until(() => output.lastLines('big').length === 2);
    await new Promise((resolve) => setImmediate(resolve));
    const log = join(dir, 'big.log');
    // The terminal has not taken the line: the log waits (the line, and 'next' behind it).
    expect(existsSync(log) ? statSync(log).size : 0).toBe(0);
    out.openUp();
    await until(() => existsSync(log) && statSync(log).size === size + 1 + 'next\n'.length);
    source.end();
    await output.close();
    expect(readFileSync(log, 'utf8') === `${'x'.repeat(size)}\nnext\n`).toBe(true);
    expect(out.text() === `big | ${'x'.repeat(size)}\nbig | next\n`).toBe(true);
  });
});
