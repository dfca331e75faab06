import { describe, expect, it } from 'vitest';
import { plainBlock, plainPieces } from '../../../src/output/blocks.js';
import { flood } from '../../../src/output/flood.js';
import { Prefix, Prefixer, prefixBlock } from '../../../src/output/prefixer.js';

const ESC = '\u001b';
const P = `${ESC}[36mweb |${ESC}[39m `;
const prefixed = (text: string, prefix = P) =>
  prefixBlock(Buffer.from(text), prefix).toString('utf8');
const plain = (text: string) => plainBlock(Buffer.from(text)).toString('utf8');

describe('prefixBlock', () => {
  it('puts the prefix before every line of a block and keeps UTF-8 intact', () => {
    expect(prefixed('a\nbé\n日本 🎉\n')).toBe(`${P}a\n${P}bé\n${P}日本 🎉\n`);
  });

  it('keeps empty lines, drops the CR of CRLF, closes an unterminated last line', () => {
    expect(prefixed('a\r\n\r\nb')).toBe(`${P}a\n${P}\n${P}b\n`);
    expect(prefixed('50%\r100%\n')).toBe(`${P}50%\r100%\n`);
  });

  it('keeps the colours of a service on the terminal', () => {
    expect(prefixed(`${ESC}[31mred${ESC}[39m\n`)).toBe(`${P}${ESC}[31mred${ESC}[39m\n`);
  });

  it('passes a control-only line on without prefix or newline (no empty `web |` line)', () => {
    expect(prefixed(`a\n${ESC}[?25h\nb\n`)).toBe(`${P}a\n${ESC}[?25h${P}b\n`);
    expect(prefixed(`${ESC}[?25h${ESC}[0m\r\n`)).toBe(`${ESC}[?25h${ESC}[0m`);
  });

  it('works on a non-ASCII prefix', () => {
    expect(prefixed('x\ny\n', 'café | ')).toBe('café | x\ncafé | y\n');
  });
});

describe('plainBlock', () => {
  it('returns the very same bytes when there is no escape sequence', () => {
    const block = Buffer.from('a\r\nb\n');
    expect(plainBlock(block)).toBe(block);
  });

  it('takes out colours, cursor and title sequences, keeps the text', () => {
    expect(plain(`${ESC}[1;32m✓${ESC}[0m ready in ${ESC}[1m120${ESC}[22m ms\n`)).toBe(
      '✓ ready in 120 ms\n',
    );
    expect(plain(`${ESC}]0;title${ESC}\\x${ESC}]8;;http://a${ESC}\\link${ESC}]8;;${ESC}\\\n`)).toBe(
      'xlink\n',
    );
    expect(plain(`a${ESC}[2K${ESC}[1Gb${ESC}7c\n`)).toBe('abc\n');
  });

  it('leaves out lines that hold only escape sequences, keeps real empty lines', () => {
    expect(plain(`a\n${ESC}[?25h\n\nb\n${ESC}[0m\r\n`)).toBe('a\n\nb\n');
    expect(plain(`a\n${ESC}[?25l`)).toBe('a\n');
  });
});

describe('big blocks (handled as slices)', () => {
  it('prefix and strip lines of a block over 1 MiB the same way as small ones', () => {
    const lines = [`${ESC}[?25h`, 'a\r', '', `${ESC}[31mred${ESC}[39m`, 'x'.repeat(3 << 20), 'end'];
    const text = `${lines.join('\n')}\n`;
    const small = lines.map((l) => `${l}\n`);
    const expected = small.map((l) => prefixed(l)).join('');
    expect(prefixed(text)).toBe(expected);
    expect(plain(text)).toBe(small.map((l) => plain(l)).join(''));
  });
});

describe('Prefixer', () => {
  it('gives a big plain block (line by line) the same form as small ones (as text)', () => {
    const lines = Array.from(
      { length: 40_000 },
      (_, i) => `${i} ${'é'.repeat(i % 5)} ${'x'.repeat(i % 50)}`,
    );
    const big = Buffer.from(`${lines.join('\n')}\n`);
    expect(big.length).toBeGreaterThan(1 << 20);
    expect(prefixed(big.toString())).toBe(lines.map((l) => prefixed(`${l}\n`)).join(''));
  });

  it('joins a first line begun in earlier chunks, short or long, behind one prefix', () => {
    const out: Buffer[] = [];
    const prefixer = new Prefixer();
    const prefix = new Prefix('p | ');
    prefixer.block(prefix, [Buffer.from('ab'), Buffer.from('c\r')], 4, Buffer.from('\nd\n'), out);
    const long = Buffer.alloc(70_000, 'y');
    prefixer.block(prefix, [long, Buffer.from('z\r')], 70_002, Buffer.from('\n'), out);
    prefixer.block(prefix, [Buffer.from('end\r')], 4, Buffer.alloc(0), out);
    expect(Buffer.concat(out).toString()).toBe(
      `p | abc\np | d\np | ${'y'.repeat(70_000)}z\np | end\n`,
    );
  });
});

describe('the flood routine (WebAssembly)', () => {
  /** A small seeded generator: the same cases on every run. */
  function random(seed: number) {
    let s = seed >>> 0;
    return (n: number) => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return Math.floor((s / 2 ** 32) * n); // the high bits: the low ones repeat in short cycles
    };
  }
  const run = (prefixer: Prefixer, prefix: Prefix, head: Buffer[], body: Buffer) => {
    const out: Buffer[] = [];
    const headLength = head.reduce((n, b) => n + b.length, 0);
    prefixer.block(prefix, head, headLength, body, out);
    const bytes = Buffer.concat(out);
    for (const piece of out) prefixer.release(piece);
    return bytes;
  };

  it('gives the same terminal and log forms as the JavaScript way, whatever the lines', () => {
    expect(flood()).not.toBeNull();
    const next = random(12);
    const fast = new Prefixer();
    const slow = new Prefixer({ flood: false });
    // Text, newlines, and the makings of escape sequences, whole and broken.
    const alphabet = ['a', 'é', '日', '🎉', ' ', '\n', '\n', '\n', '\r', '\r\n', '\u0007'];
    const sequences = [ESC, `${ESC}[31m`, `${ESC}[`, `${ESC}[1;2`, `${ESC}[?25h`, `${ESC}[ q`];
    sequences.push(`${ESC}]0;t\u0007`, `${ESC}]8;;x${ESC}\\`, `${ESC}]0;t`, `${ESC}(B`, `${ESC}7`);
    sequences.push('[', ']', '\\', ';', '0', '~', '@', '/', '?');
    for (let round = 0; round < 200; round++) {
      const prefix = new Prefix(`${'p'.repeat(1 + next(round % 10 === 0 ? 3000 : 40))} | `);
      const size = next(8) === 0 ? next(300_000) : next(3000);
      let text = '';
      const coloured = next(2) === 0;
      while (text.length < size) {
        const pick = next(60);
        if (pick === 0) text += 'x'.repeat(next(next(20) === 0 ? 300_000 : 500));
        else if (coloured && pick < 25) text += sequences[next(sequences.length)] as string;
        else text += alphabet[next(alphabet.length)] as string;
      }
      const body = Buffer.from(text);
      const head = next(3) === 0 ? [Buffer.from(`h${'e'.repeat(next(100))}`)] : [];
      if (head.length === 0 && body.length === 0) continue;
      const expected = run(slow, prefix, head, body);
      const plain = plainBlock(Buffer.concat([...head, body]), false);
      // Half the time the block lies where devlaunch reads services' output (flood().input()).
      const read = flood()?.input() as Buffer;
      const placed = next(2) === 0 && body.length <= read.length;
      const given = placed ? read.subarray(0, body.copy(read)) : body;
      expect(run(fast, prefix, head, given).equals(expected)).toBe(true);
      const pieces: Buffer[] = [];
      plainPieces(
        head,
        head.reduce((n, b) => n + b.length, 0),
        given,
        pieces,
      );
      expect(Buffer.concat(pieces).equals(plain)).toBe(true);
    }
  });

  it('passes a control-only line of up to 4096 bytes on as it is, a longer one prefixed', () => {
    const prefix = new Prefix('web | ');
    for (const prefixer of [new Prefixer(), new Prefixer({ flood: false })]) {
      const short = `${ESC}[0m`.repeat(1024);
      const long = `${short.slice(0, 4092)}${ESC}[00m`; // 4097 bytes
      expect(run(prefixer, prefix, [], Buffer.from(`${short}\r\n`)).toString()).toBe(short);
      expect(run(prefixer, prefix, [], Buffer.from(`${long}\n`)).toString()).toBe(
        `web | ${long}\n`,
      );
    }
  });

  it('takes a block where devlaunch read it, its first line begun in an earlier read', () => {
    const read = flood()?.input() as Buffer;
    const body = Buffer.from(`tail of first\n${ESC}[1msecond${ESC}[0m line\nthird\n`);
    const given = read.subarray(0, body.copy(read));
    const out: Buffer[] = [];
    new Prefixer().block(new Prefix('p | '), [Buffer.from('head ')], 5, given, out);
    expect(Buffer.concat(out).toString()).toBe(
      `p | head tail of first\np | ${ESC}[1msecond${ESC}[0m line\np | third\n`,
    );
    const log: Buffer[] = [];
    plainPieces([Buffer.from(`${ESC}[2mhead `)], 9, given, log);
    expect(Buffer.concat(log).toString()).toBe('head tail of first\nsecond line\nthird\n');
  });

  it('puts the prefix before each line and closes an unterminated last one', () => {
    const prefix = new Prefix('web | ');
    const lines = Array.from({ length: 5000 }, (_, i) => `line ${i} ${'.'.repeat(i % 37)}`);
    const text = `${lines.join('\n')}`;
    const got = run(new Prefixer(), prefix, [], Buffer.from(text)).toString();
    expect(got).toBe(lines.map((l) => `web | ${l}\n`).join(''));
  });

  it('fits a result bigger than its output area (long prefix, short lines)', () => {
    const prefix = new Prefix(`${'p'.repeat(2000)} | `);
    const body = Buffer.from('x\n'.repeat(400));
    const got = run(new Prefixer(), prefix, [], body);
    expect(got.length).toBeGreaterThan(512 << 10);
    expect(
      got.equals(Buffer.concat(Array(400).fill(Buffer.concat([prefix.bytes, Buffer.from('x\n')])))),
    ).toBe(true);
  });
});
