import { describe, expect, it } from 'vitest';
import { completeUtf8Length, LineSplitter } from '../../../src/output/line-splitter.js';

function collect() {
  const lines: string[] = [];
  const calls: string[][] = [];
  const splitter = new LineSplitter((batch) => {
    calls.push(batch);
    lines.push(...batch);
  });
  return { splitter, lines, calls };
}

function feed(chunks: (string | Buffer)[]) {
  const c = collect();
  for (const chunk of chunks)
    c.splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return c;
}

describe('LineSplitter', () => {
  it('emits every complete line of a chunk in one call', () => {
    const { lines, calls } = feed(['a\nbb\nccc\n']);
    expect(lines).toEqual(['a', 'bb', 'ccc']);
    expect(calls).toHaveLength(1);
  });

  it('joins a line split across chunks at every position', () => {
    const text = 'first line\nsecond\n\nthird with ümlaut and 日本語 and 🎉\nlast\n';
    const bytes = Buffer.from(text);
    for (let cut = 0; cut <= bytes.length; cut++) {
      const { lines } = feed([bytes.subarray(0, cut), bytes.subarray(cut)]);
      expect(lines, `cut at ${cut}`).toEqual(text.split('\n').slice(0, -1));
    }
  });

  it('survives a stream fed one byte at a time', () => {
    const text = 'héllo\r\nwörld\n🎉🎉\n';
    const bytes = Buffer.from(text);
    const { lines } = feed([...bytes].map((b) => Buffer.from([b])));
    expect(lines).toEqual(['héllo', 'wörld', '🎉🎉']);
  });

  it('drops the carriage return of CRLF, also when CR and LF arrive apart', () => {
    expect(feed(['a\r\nb\r\n']).lines).toEqual(['a', 'b']);
    expect(feed(['a\r', '\nb\r', '\n']).lines).toEqual(['a', 'b']);
  });

  it('keeps a carriage return that is not before a newline', () => {
    expect(feed(['50%\r100%\n']).lines).toEqual(['50%\r100%']);
    expect(feed(['a\r\r\n']).lines).toEqual(['a\r']);
  });

  it('keeps empty lines', () => {
    expect(feed(['\n\n', 'x\n\n']).lines).toEqual(['', '', 'x', '']);
  });

  it('does not call back for a chunk without a newline', () => {
    const { calls, splitter } = feed(['no newline yet']);
    expect(calls).toHaveLength(0);
    expect(splitter.partial()).toBe('no newline yet');
  });

  it('emits a final line without newline at end()', () => {
    const { lines, splitter } = feed(['one\ntwo']);
    expect(lines).toEqual(['one']);
    splitter.end();
    expect(lines).toEqual(['one', 'two']);
    splitter.end();
    expect(lines).toEqual(['one', 'two']);
  });

  it('emits nothing at end() after a complete last line', () => {
    const { lines, splitter } = feed(['one\n']);
    splitter.end();
    expect(lines).toEqual(['one']);
  });

  it('reports the partial line, which grows across chunks and resets on newline', () => {
    const { splitter } = feed(['Listening on', ' port ']);
    expect(splitter.partial()).toBe('Listening on port ');
    splitter.push(Buffer.from('8080\nnext'));
    expect(splitter.partial()).toBe('next');
    splitter.push(Buffer.from('\n'));
    expect(splitter.partial()).toBe('');
  });

  it('leaves a half-received multi-byte character out of partial()', () => {
    const euro = Buffer.from('€'); // 3 bytes
    const { splitter, lines } = feed([Buffer.concat([Buffer.from('cost '), euro.subarray(0, 2)])]);
    expect(splitter.partial()).toBe('cost ');
    splitter.push(Buffer.concat([euro.subarray(2), Buffer.from('5\n')]));
    expect(lines).toEqual(['cost €5']);
  });

  it('decodes a multi-byte character split between chunks', () => {
    const emoji = Buffer.from('🎉'); // 4 bytes
    for (let cut = 1; cut < 4; cut++) {
      const { lines } = feed([
        Buffer.concat([Buffer.from('x'), emoji.subarray(0, cut)]),
        Buffer.concat([emoji.subarray(cut), Buffer.from('y\n')]),
      ]);
      expect(lines).toEqual(['x🎉y']);
    }
  });

  it('handles a long line arriving in many chunks', () => {
    const c = collect();
    for (let i = 0; i < 1000; i++) c.splitter.push(Buffer.from('abcdefghij'));
    c.splitter.push(Buffer.from('\n'));
    expect(c.lines).toEqual(['abcdefghij'.repeat(1000)]);
  });
});

describe('completeUtf8Length', () => {
  it('cuts an incomplete trailing sequence only', () => {
    const euro = Buffer.from('a€');
    expect(completeUtf8Length(euro)).toBe(4);
    expect(completeUtf8Length(euro.subarray(0, 3))).toBe(1);
    expect(completeUtf8Length(euro.subarray(0, 2))).toBe(1);
    expect(completeUtf8Length(Buffer.from('abc'))).toBe(3);
    expect(completeUtf8Length(Buffer.alloc(0))).toBe(0);
  });
});
