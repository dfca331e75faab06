import { describe, expect, it } from 'vitest';
import { descendantsOf } from '../../../src/process/proc-info.js';
import type { ProcessInfo } from '../../../src/process/types.js';

const proc = (pid: number, ppid: number): ProcessInfo => ({
  pid,
  ppid,
  pgid: null,
  uid: 0,
  user: 'root',
  command: `p${pid}`,
  startTime: String(pid * 10),
  startedAt: new Date(0).toISOString(),
});

describe('descendantsOf', () => {
  const table = [
    proc(1, 0),
    proc(10, 1),
    proc(11, 10),
    proc(12, 10),
    proc(13, 12),
    proc(20, 1),
    proc(21, 20),
  ];

  it('returns children, grandchildren and deeper, not the process itself', () => {
    expect(
      descendantsOf(10, table)
        .map((p) => p.pid)
        .sort(),
    ).toEqual([11, 12, 13]);
  });

  it('returns nothing for a leaf or an unknown pid', () => {
    expect(descendantsOf(13, table)).toEqual([]);
    expect(descendantsOf(999, table)).toEqual([]);
  });

  it('does not loop on a self-parented or cyclic table', () => {
    const odd = [proc(0, 0), proc(5, 6), proc(6, 5)];
    expect(descendantsOf(0, odd)).toEqual([]);
    expect(descendantsOf(5, odd).map((p) => p.pid)).toEqual([6]);
  });
});
