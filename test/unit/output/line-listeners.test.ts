/**
 * Line listeners: lines decoded only for listeners that take them; behind a shut gate a block's
 * lines are counted exactly (an unterminated last line included) and never handed over.
 */
import { describe, expect, it } from 'vitest';
import { type LineGate, LineListeners } from '../../../src/output/line-listeners.js';

function gate(open: () => boolean) {
  const skipped: [string, number][] = [];
  const g: LineGate = { open, skipped: (service, lines) => skipped.push([service, lines]) };
  return { g, skipped };
}

const block = (text: string) => Buffer.from(text);

describe('LineListeners', () => {
  it('hands every line over, without or with escape sequences as asked', () => {
    const listeners = new LineListeners('api');
    const plain: string[] = [];
    const coloured: string[] = [];
    listeners.add((t) => plain.push(t), {});
    listeners.add((t) => coloured.push(t), { sequences: true });
    listeners.block([Buffer.from('GE')], 2, block('T \u001b[32m/\u001b[39m\r\nnext\n'));
    expect(plain).toEqual(['GET /', 'next']);
    expect(coloured).toEqual(['GET \u001b[32m/\u001b[39m', 'next']);
  });

  it('counts the lines that go by a shut gate, and hands them over no more', () => {
    const listeners = new LineListeners('web');
    const got: string[] = [];
    let isOpen = false;
    const { g, skipped } = gate(() => isOpen);
    listeners.add((t) => got.push(t), { gate: g });
    listeners.block([], 0, block('a\nb\nc\n'));
    listeners.block([Buffer.from('par')], 3, block('t\nlast without newline'));
    listeners.block([Buffer.from('only a head')], 11, block(''));
    listeners.partial(() => 'a prompt');
    expect(got).toEqual([]);
    expect(skipped).toEqual([
      ['web', 3],
      ['web', 2],
      ['web', 1],
    ]);
    isOpen = true;
    listeners.block([], 0, block('d\n'));
    listeners.partial(() => 'a prompt');
    expect(got).toEqual(['d', 'a prompt']);
  });

  it('decodes nothing for a shut gate while another listener still takes every line', () => {
    const listeners = new LineListeners('api');
    const all: string[] = [];
    const { g, skipped } = gate(() => false);
    listeners.add(
      () => {
        throw new Error('a shut gate must not be passed');
      },
      { gate: g },
    );
    const off = listeners.add((t) => all.push(t), {});
    listeners.block([], 0, block('x\ny\n'));
    expect(all).toEqual(['x', 'y']);
    expect(skipped).toEqual([['api', 2]]);
    off();
    expect(listeners.size).toBe(1);
  });
});
