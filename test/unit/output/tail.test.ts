import { describe, expect, it } from 'vitest';
import { Tail } from '../../../src/output/tail.js';

const block = (text: string) => Buffer.from(text);

describe('Tail', () => {
  it('keeps the last lines across many small blocks, whatever the window had to let go', () => {
    const tail = new Tail(5);
    const lines: string[] = [];
    for (let i = 0; i < 3000; i++) {
      // Blocks of one or two lines, some long: the window fills up and drops its oldest lines.
      const text = i % 3 === 0 ? `${i} ${'x'.repeat(i % 1500)}\n${i}b\n` : `${i}\n`;
      lines.push(...text.split('\n').slice(0, -1));
      const reused = Buffer.from(text);
      tail.add([], 0, reused);
      reused.fill(0x21);
    }
    const expected = lines.slice(-5).map((l) => (l.length > 2000 ? `${l.slice(0, 2000)}…` : l));
    expect(tail.lines()).toEqual(expected);
  });

  it('keeps an unterminated last line apart from what follows (a restart)', () => {
    const tail = new Tail(20);
    tail.add([], 0, block('a\nprompt> '));
    tail.add([], 0, block('restarted\n'));
    expect(tail.lines()).toEqual(['a', 'prompt> ', 'restarted']);
  });

  it('a block of enough lines replaces what came before', () => {
    const tail = new Tail(2);
    tail.add([], 0, block('old\n'));
    tail.add([], 0, block('x\ny\nz\n'));
    expect(tail.lines()).toEqual(['y', 'z']);
  });
});
