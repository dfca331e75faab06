/** When devlaunch colours its output: terminals yes, NO_COLOR and FORCE_COLOR=0 no. */
import type { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { colorEnabled } from '../../../src/output/colors.js';

const tty = { isTTY: true } as unknown as Writable;
const pipe = {} as unknown as Writable;

describe('colorEnabled', () => {
  it('colours a terminal, not a pipe', () => {
    expect(colorEnabled(tty, true, {})).toBe(true);
    expect(colorEnabled(pipe, true, {})).toBe(false);
  });

  it('FORCE_COLOR=0 turns it off even on a terminal; another value forces it on a pipe', () => {
    expect(colorEnabled(tty, true, { FORCE_COLOR: '0' })).toBe(false);
    expect(colorEnabled(tty, true, { FORCE_COLOR: 'false' })).toBe(false);
    expect(colorEnabled(pipe, true, { FORCE_COLOR: '1' })).toBe(true);
  });

  it('--no-color and NO_COLOR win', () => {
    expect(colorEnabled(tty, false, { FORCE_COLOR: '1' })).toBe(false);
    expect(colorEnabled(tty, true, { NO_COLOR: '1', FORCE_COLOR: '1' })).toBe(false);
  });
});
