import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { onOutputVolume, readChunks } from '../../../src/output/reader.js';

const read = (stream: PassThrough) =>
  new Promise<string>((resolve) => {
    let text = '';
    readChunks(
      stream,
      (bytes) => {
        text += bytes.toString();
      },
      () => resolve(text),
    );
  });

describe('readChunks', () => {
  it('hands on every chunk in order, then ends once', async () => {
    const stream = new PassThrough();
    const all = read(stream);
    stream.write('a\nb');
    stream.end('c\n');
    expect(await all).toBe('a\nbc\n');
  });

  it('onOutputVolume: called once, when the bytes read from every stream reach the amount', async () => {
    const calls: number[] = [];
    let seen = 0;
    onOutputVolume(10, () => calls.push(seen));
    const [one, two] = [new PassThrough(), new PassThrough()];
    const count = (stream: PassThrough) =>
      new Promise<void>((resolve) =>
        readChunks(
          stream,
          (bytes) => {
            seen += bytes.length;
          },
          resolve,
        ),
      );
    const ended = Promise.all([count(one), count(two)]);
    const flush = () => new Promise((resolve) => setImmediate(resolve));
    one.write('12345');
    await flush();
    two.write('1234');
    await flush();
    expect(calls).toEqual([]);
    two.write('5');
    await flush();
    one.write('more output');
    one.end();
    two.end();
    await ended;
    // Counted before the chunk is handed on: the 10th byte's chunk, not later ones.
    expect(calls).toEqual([9]);
  });
});
