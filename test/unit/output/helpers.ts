import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach } from 'vitest';

/** A destination that keeps everything; `delayMs` makes it slow (each write acknowledged late). */
export class Collector extends Writable {
  readonly chunks: string[] = [];
  isTTY = false;

  constructor(private readonly delayMs = 0) {
    super({ highWaterMark: 1024 });
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, done: (error?: Error | null) => void): void {
    this.chunks.push(chunk.toString('utf8'));
    if (this.delayMs > 0) setTimeout(done, this.delayMs);
    else done();
  }

  // Like real sockets and files, a slow destination takes what queued up in one go.
  override _writev(chunks: { chunk: Buffer }[], done: (error?: Error | null) => void): void {
    this._write(Buffer.concat(chunks.map((c) => c.chunk)), 'utf8', done);
  }

  text(): string {
    return this.chunks.join('');
  }

  lines(): string[] {
    const text = this.text();
    return text === '' ? [] : text.replace(/\n$/, '').split('\n');
  }
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'devlaunch-output-'));
}

/** A maker of temporary directories, each removed after the test that made it. */
export function cleanedTempDirs(): () => string {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const dir = tempDir();
    dirs.push(dir);
    return dir;
  };
}
