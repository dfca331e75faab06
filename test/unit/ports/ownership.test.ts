import { describe, expect, it } from 'vitest';
import { classify, type RecordedSession } from '../../../src/ports/ownership.js';
import type { ProcessInfo } from '../../../src/process/types.js';

const proc = (pid: number, ppid: number, startTime = `st${pid}`): ProcessInfo => ({
  pid,
  ppid,
  pgid: pid,
  uid: 1000,
  user: 'dev',
  command: `cmd ${pid}`,
  startTime,
  startedAt: '2024-01-01T00:00:00.000Z',
});

// 1 init ─ 100 sh (recorded) ─ 101 npm ─ 102 node (holds the port)
//        ─ 200 node (recorded by a live session)
//        ─ 300 node (a reused pid: recorded with another start time)
//        ─ 400 daemon (left its tree)
const table = [
  proc(1, 0),
  proc(100, 1),
  proc(101, 100),
  proc(102, 101),
  proc(200, 1),
  proc(300, 1),
  proc(400, 1),
];
const stale: RecordedSession = {
  session: 'old',
  live: false,
  processes: [
    { pid: 100, startTime: 'st100', service: 'web' },
    { pid: 300, startTime: 'WRONG', service: 'api' },
  ],
};
const live: RecordedSession = {
  session: 'now',
  live: true,
  processes: [{ pid: 200, startTime: 'st200', service: 'api' }],
};
const at = (pid: number) => table.find((p) => p.pid === pid)!;

describe('classify', () => {
  it('a recorded process of a stale session is stale-ours', () => {
    expect(classify(at(100), table, [stale, live], null)).toEqual({
      owner: 'stale-ours',
      session: 'old',
      service: 'web',
      root: { pid: 100, startTime: 'st100' },
    });
  });
  it('a descendant of a recorded process is stale-ours, with the recorded root', () => {
    expect(classify(at(102), table, [stale], null)).toMatchObject({
      owner: 'stale-ours',
      service: 'web',
      root: { pid: 100 },
    });
  });
  it('a process of a live session is ours', () => {
    expect(classify(at(200), table, [stale, live], null)).toMatchObject({
      owner: 'ours',
      session: 'now',
    });
  });
  it('a reused pid (start time differs) is foreign', () => {
    expect(classify(at(300), table, [stale, live], null)).toEqual({
      owner: 'foreign',
      session: null,
      service: null,
      root: null,
    });
  });
  it('a recorded process without a start time proves nothing', () => {
    const noStart: RecordedSession = {
      ...stale,
      processes: [{ pid: 100, startTime: '', service: 'web' }],
    };
    const blank = [proc(1, 0), proc(100, 1, '')];
    expect(classify(blank[1]!, blank, [noStart], null).owner).toBe('foreign');
  });
  it('a process carrying the mark of a recorded session is that session’s', () => {
    expect(classify(at(400), table, [stale, live], 'old')).toMatchObject({
      owner: 'stale-ours',
      session: 'old',
      root: null,
    });
    expect(classify(at(400), table, [stale, live], 'now')).toMatchObject({
      owner: 'ours',
      session: 'now',
    });
  });
  it('a mark of a session this project does not know is foreign', () => {
    expect(classify(at(400), table, [stale, live], 'elsewhere').owner).toBe('foreign');
  });
  it('anything without project state is foreign', () => {
    expect(classify(at(102), table, [], 'old').owner).toBe('foreign');
  });
  it('a live session wins when both would match', () => {
    const both: RecordedSession = {
      session: 'dup',
      live: true,
      processes: [{ pid: 100, startTime: 'st100', service: 'web' }],
    };
    expect(classify(at(102), table, [stale, both], null)).toMatchObject({
      owner: 'ours',
      session: 'dup',
    });
  });
  it('does not loop on a parent cycle', () => {
    const cyclic = [proc(5, 6), proc(6, 5)];
    expect(classify(cyclic[0]!, cyclic, [stale], null).owner).toBe('foreign');
  });
});
