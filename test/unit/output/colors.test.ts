/**
 * When devlaunch colours its output: terminals yes, NO_COLOR and FORCE_COLOR=0 no; `--color`
 * (true) forces it, `--no-color` (false) turns it off; absent (undefined): decided here.
 */
import type { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { colorEnabled } from '../../../src/output/colors.js';

const tty = { isTTY: true } as unknown as Writable;
const pipe = {} as unknown as Writable;

describe('colorEnabled', () => {
  it('colours a terminal, not a pipe', () => {
    expect(colorEnabled(tty, undefined, {})).toBe(true);
    expect(colorEnabled(pipe, undefined, {})).toBe(false);
    expect(colorEnabled(tty, undefined, { TERM: 'dumb' })).toBe(false);
  });

  it('FORCE_COLOR=0 turns it off even on a terminal; another value forces it on a pipe', () => {
    expect(colorEnabled(tty, undefined, { FORCE_COLOR: '0' })).toBe(false);
    expect(colorEnabled(tty, undefined, { FORCE_COLOR: 'false' })).toBe(false);
    expect(colorEnabled(pipe, undefined, { FORCE_COLOR: '1' })).toBe(true);
  });

  it('NO_COLOR beats FORCE_COLOR', () => {
    expect(colorEnabled(tty, undefined, { NO_COLOR: '1', FORCE_COLOR: '1' })).toBe(false);
  });

  it('--color forces it into a pipe, over NO_COLOR and FORCE_COLOR=0; --no-color wins always', () => {
    expect(colorEnabled(pipe, true, {})).toBe(true);
    expect(colorEnabled(pipe, true, { NO_COLOR: '1', FORCE_COLOR: '0' })).toBe(true);
    expect(colorEnabled(tty, false, { FORCE_COLOR: '1' })).toBe(false);
  });
});
