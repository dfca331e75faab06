import { describe, expect, it } from 'vitest';
import { ABOVE_PREFERRED, remapCandidates } from '../../../src/plan/port-policy.js';

describe('remapCandidates', () => {
  it('without port_range: the ports just above the preferred one', () => {
    const c = remapCandidates(8000, null, new Set());
    expect(c.slice(0, 3)).toEqual([8001, 8002, 8003]);
    expect(c).toHaveLength(ABOVE_PREFERRED);
    expect(c).not.toContain(8000);
  });
  it('port_range first, from after the preferred port, wrapping around', () => {
    const c = remapCandidates(8002, { from: 8000, to: 8004 }, new Set());
    expect(c.slice(0, 4)).toEqual([8003, 8004, 8000, 8001]);
    expect(c[4]).toBe(8005); // then above the preferred port
  });
  it('a preferred port outside the range starts at the range start', () => {
    expect(remapCandidates(3000, { from: 9000, to: 9002 }, new Set()).slice(0, 4)).toEqual([
      9000, 9001, 9002, 3001,
    ]);
  });
  it('never another service’s preferred or given port', () => {
    expect(remapCandidates(8000, null, new Set([8001, 8003])).slice(0, 2)).toEqual([8002, 8004]);
  });
  it('never into Windows reserved ranges', () => {
    const c = remapCandidates(50000, { from: 50000, to: 50100 }, new Set(), [
      { from: 50001, to: 50099 },
    ]);
    expect(c).toEqual([50100]); // range first, then above 50000 up to +100: all reserved but 50100
    expect(c.some((p) => p > 50000 && p < 50100)).toBe(false);
  });
  it('stops at 65535 and lists each port once', () => {
    const c = remapCandidates(65530, { from: 65500, to: 65535 }, new Set());
    expect(Math.max(...c)).toBe(65535);
    expect(new Set(c).size).toBe(c.length);
  });
});
