import { describe, expect, it } from 'vitest';
import { ancestorsOf, type KillContext, killRefusal } from '../../../src/ports/kill-safety.js';
import type { ProcessInfo } from '../../../src/process/types.js';

const proc = (
  pid: number,
  ppid: number,
  uid: number | null = 1000,
  command = 'node server.js',
): ProcessInfo => ({
  pid,
  ppid,
  pgid: pid,
  uid,
  user: uid === null ? '' : `u${uid}`,
  command,
  startTime: String(pid * 10),
  startedAt: '2024-01-01T00:00:00.000Z',
});
const ctx: KillContext = {
  selfPid: 500,
  selfUid: 1000,
  ancestors: new Set([400, 300]),
  force: false,
  platform: 'linux',
};

describe('killRefusal', () => {
  it('allows a process of the same user', () => {
    expect(killRefusal(proc(900, 1), ctx)).toBeNull();
  });
  it('never stops pid 1 or 0, even with --force', () => {
    for (const pid of [0, 1]) {
      const r = killRefusal(proc(pid, 0, 1000, 'init'), { ...ctx, force: true });
      expect(r).toMatchObject({ forceable: false });
      expect(r?.reason).toContain('init');
    }
  });
  it('never stops devlaunch itself or its ancestors, even with --force', () => {
    expect(killRefusal(proc(500, 400), { ...ctx, force: true })).toMatchObject({
      forceable: false,
    });
    expect(killRefusal(proc(300, 1), { ...ctx, force: true })?.reason).toContain('parent');
  });
  it('refuses another user’s process unless --force', () => {
    const other = proc(900, 1, 65534);
    expect(killRefusal(other, ctx)).toMatchObject({ forceable: true });
    expect(killRefusal(other, ctx)?.reason).toContain('another user (u65534)');
    expect(killRefusal(other, { ...ctx, force: true })).toBeNull();
  });
  it('refuses kernel threads unless --force', () => {
    expect(killRefusal(proc(2, 0, 1000, '[kthreadd]'), ctx)?.reason).toContain('system process');
    expect(killRefusal(proc(77, 2, 1000, '[kworker/0:1]'), ctx)).toMatchObject({ forceable: true });
  });
  it('does not call a parentless process in a container a system process', () => {
    expect(killRefusal(proc(77, 0), ctx)).toBeNull();
  });
  it('refuses Windows System and Idle', () => {
    const win = { ...ctx, selfUid: null, platform: 'win32' as const };
    expect(killRefusal(proc(4, 0, null, 'System'), win)).toMatchObject({ forceable: true });
    expect(killRefusal(proc(4000, 4, null, 'node.exe'), win)).toBeNull();
  });
  it('does not compare uids where they are unknown', () => {
    expect(killRefusal(proc(900, 1, null), ctx)).toBeNull();
  });
});

describe('ancestorsOf', () => {
  it('walks parents up to the root without looping', () => {
    const table = [proc(1, 0), proc(10, 1), proc(20, 10), proc(30, 20), proc(40, 40)];
    expect([...ancestorsOf(30, table)]).toEqual([20, 10, 1]);
    expect([...ancestorsOf(40, table)]).toEqual([40]);
  });
});

describe('killRefusal on Windows', () => {
  const me = 'S-1-5-21-1-2-3-1001';
  const win = (over: Partial<ProcessInfo>): ProcessInfo => ({
    ...proc(900, 800, null, 'C:\\Python312\\python.exe -m uvicorn app:app'),
    pgid: null,
    sid: me,
    winSession: 1,
    exe: 'python.exe',
    ...over,
  });
  const wctx: KillContext = { ...ctx, selfUid: null, selfSid: me, platform: 'win32' };

  it("allows the user's own process", () => {
    expect(killRefusal(win({}), wctx)).toBeNull();
  });

  it('refuses System, session-0 services, critical executables and service accounts', () => {
    const cases: Partial<ProcessInfo>[] = [
      { pid: 4, exe: 'System', sid: null, winSession: 0 },
      { exe: 'svchost.exe', winSession: 0, sid: 'S-1-5-19' },
      { exe: 'wininit.exe', winSession: 0, sid: 'S-1-5-18' },
      { exe: 'csrss.exe', winSession: 1, sid: 'S-1-5-18' },
      { exe: 'services.exe', winSession: 0 },
      { exe: 'myservice.exe', winSession: 1, sid: 'S-1-5-20' },
    ];
    for (const over of cases) {
      const r = killRefusal(win(over), wctx);
      expect(r, JSON.stringify(over)).toMatchObject({ forceable: true });
      expect(r?.reason).toContain('system process');
    }
  });

  it("refuses another user's process and one whose owner cannot be read, unless --force", () => {
    expect(killRefusal(win({ sid: 'S-1-5-21-1-2-3-1002', user: 'PC\\bob' }), wctx)?.reason).toMatch(
      /another user \(PC\\bob\)/,
    );
    expect(killRefusal(win({ sid: null }), wctx)?.reason).toMatch(/owner cannot be read/);
    expect(killRefusal(win({ sid: null }), { ...wctx, force: true })).toBeNull();
  });

  it('never stops devlaunch or its ancestors there either', () => {
    expect(killRefusal(win({ pid: 400 }), { ...wctx, force: true })).toMatchObject({
      forceable: false,
    });
  });
});
