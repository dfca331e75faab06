import { describe, expect, it } from 'vitest';
import { judgeWindows, type WindowsFacts } from '../../../src/app/doctor/windows-checks.js';
import { recorded } from '../ports/fixture.js';

const works: WindowsFacts = {
  apiError: null,
  selfStartTime: '133485408000000000',
  tcpTables: true,
  selfPid: 14820,
  netstat: { stdout: recorded('windows/netstat-ano-documented.txt'), code: 0, timedOut: false },
  tasklist: { stdout: recorded('windows/tasklist-csv-documented.txt'), code: 0, timedOut: false },
  netsh: {
    stdout: recorded('windows/netsh-excludedportrange-hyperv.txt'),
    code: 0,
    timedOut: false,
  },
};
// What Debian's Wine 8.0 printed: netstat without PID column, tasklist and netsh print nothing.
const wine: Partial<WindowsFacts> = {
  netstat: { stdout: recorded('windows/wine8-netstat-ano.txt'), code: 0, timedOut: false },
  tasklist: { stdout: '', code: 0, timedOut: false },
  netsh: { stdout: '', code: 0, timedOut: false },
};
const byCheck = (facts: WindowsFacts) =>
  Object.fromEntries(judgeWindows(facts).map((r) => [r.check, r]));

describe('doctor on Windows', () => {
  it('says ok when the API and every tool work', () => {
    const results = judgeWindows(works);
    expect(results.map((r) => [r.check, r.status])).toEqual([
      ['win32 api', 'ok'],
      ['tool netstat', 'ok'],
      ['tool tasklist', 'ok'],
      ['tool netsh', 'ok'],
    ]);
  });

  it("calls Wine's stub tools broken, not ok (warnings while the API works)", () => {
    const r = byCheck({ ...works, ...wine });
    expect(r['win32 api']?.status).toBe('ok');
    expect(r['tool netstat']).toMatchObject({ status: 'warn' });
    expect(r['tool netstat']?.message).toMatch(
      /no listening socket with a PID column: it is broken/,
    );
    expect(r['tool tasklist']?.message).toMatch(/did not list this process: it is broken/);
    expect(r['tool netsh']?.message).toMatch(/no excluded port range table: it is broken/);
  });

  it('makes broken fallbacks errors when the API cannot load', () => {
    const r = byCheck({
      ...works,
      ...wine,
      apiError: "Cannot find module 'koffi'",
      selfStartTime: null,
    });
    expect(r['win32 api']).toMatchObject({ status: 'error' });
    expect(r['win32 api']?.message).toMatch(/run without job objects/);
    expect(r['tool netstat']?.status).toBe('error');
    expect(r['tool tasklist']?.status).toBe('error');
  });

  it('reports a missing or hanging tool as such', () => {
    const r = byCheck({
      ...works,
      netstat: { stdout: null, code: null, timedOut: false },
      tasklist: { stdout: '', code: null, timedOut: true },
    });
    expect(r['tool netstat']?.message).toMatch(/not on PATH/);
    expect(r['tool tasklist']?.message).toMatch(/did not answer within its time limit/);
  });
});
