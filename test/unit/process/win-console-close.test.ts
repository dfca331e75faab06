import { afterEach, describe, expect, it } from 'vitest';
import {
  consoleCloseGraceMs,
  graceDeadline,
  noteConsoleClosing,
  resetConsoleClosingForTests,
} from '../../../src/process/win/owned.js';

describe('grace on a closing Windows console', () => {
  afterEach(() => resetConsoleClosingForTests());

  it('is the stop_timeout normally', () => {
    expect(graceDeadline(1000, 10_000)).toBe(11_000);
  });

  it('ends at most consoleCloseGraceMs after the close, for stops begun before or after it', () => {
    noteConsoleClosing(5000);
    expect(consoleCloseGraceMs).toBeLessThanOrEqual(3000); // Windows allows about 5 s in all
    expect(graceDeadline(1000, 10_000)).toBe(5000 + consoleCloseGraceMs);
    expect(graceDeadline(6000, 10_000)).toBe(5000 + consoleCloseGraceMs);
    expect(graceDeadline(5000, 500)).toBe(5500); // a shorter stop_timeout still wins
  });

  it('counts from the first close event', () => {
    noteConsoleClosing(5000);
    noteConsoleClosing(7000);
    expect(graceDeadline(7000, 10_000)).toBe(5000 + consoleCloseGraceMs);
  });
});
