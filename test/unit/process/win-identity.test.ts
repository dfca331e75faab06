import { describe, expect, it } from 'vitest';
import { listenersFromTcpTables } from '../../../src/ports/holders/index.js';
import type { WinApi } from '../../../src/process/win/api.js';
import { winListProcesses, winProcessInfo } from '../../../src/process/win/identity.js';

interface FakeProc {
  pid: number;
  ppid: number;
  exe: string;
  created?: string;
  cmd?: string;
  sid?: string;
  user?: string;
  session?: number;
}

function fakeApi(procs: FakeProc[], tables: { 4?: Buffer | null; 6?: Buffer | null } = {}): WinApi {
  const by = (pid: number) => procs.find((p) => p.pid === pid);
  const fail = () => {
    throw new Error('not in this test');
  };
  return {
    snapshot: () => procs.map(({ pid, ppid, exe }) => ({ pid, ppid, exe })),
    creationTime: (pid) => by(pid)?.created ?? null,
    imagePath: (pid) => (by(pid)?.created ? `C:\\bin\\${by(pid)?.exe}` : null),
    commandLine: (pid) => by(pid)?.cmd ?? null,
    owner: (pid) => {
      const p = by(pid);
      return p?.sid ? { sid: p.sid, user: p.user ?? p.sid } : null;
    },
    sessionId: (pid) => by(pid)?.session ?? null,
    tcpListenerTable: (family) => tables[family] ?? null,
    createKillOnCloseJob: fail,
    assignToJob: fail,
    terminateJob: fail,
    jobActiveCount: fail,
    jobPids: fail,
    duplicateInto: fail,
    closeHandle: fail,
    ctrlBreak: fail,
  };
}

const table = [
  { pid: 4, ppid: 0, exe: 'System', session: 0 },
  {
    pid: 700,
    ppid: 600,
    exe: 'cmd.exe',
    created: '133485408000000000',
    cmd: 'cmd.exe /d /s /c "uvicorn app:app"',
    sid: 'S-1-5-21-1-2-3-1001',
    user: 'PC\\ada',
    session: 1,
  },
  {
    pid: 710,
    ppid: 700,
    exe: 'python.exe',
    created: '133485408010000000',
    cmd: 'python -m uvicorn app:app',
    sid: 'S-1-5-21-1-2-3-1001',
    user: 'PC\\ada',
    session: 1,
  },
  // pid 700 was reused: this process's real parent (an older 700) is gone.
  {
    pid: 720,
    ppid: 700,
    exe: 'old.exe',
    created: '133485407000000000',
    cmd: 'old.exe',
    session: 1,
  },
];

describe('Windows process identity from the OS', () => {
  it('describes a process: creation time token, command line, owner, session', () => {
    const api = fakeApi(table);
    expect(winProcessInfo(api, 710)).toMatchObject({
      pid: 710,
      ppid: 700,
      pgid: null,
      uid: null,
      user: 'PC\\ada',
      sid: 'S-1-5-21-1-2-3-1001',
      command: 'python -m uvicorn app:app',
      startTime: '133485408010000000',
      startedAt: '2024-01-01T00:00:01.000Z',
      winSession: 1,
      exe: 'python.exe',
    });
  });

  it('a process it cannot open has an empty identity, so it can never justify a stop', () => {
    const info = winProcessInfo(fakeApi(table), 4);
    expect(info).toMatchObject({
      pid: 4,
      startTime: '',
      command: 'System',
      sid: null,
      winSession: 0,
    });
    expect(winProcessInfo(fakeApi(table), 9999)).toBeNull();
  });

  it('drops a parent link to a pid that was reused by a younger process', () => {
    const byPid = new Map(winListProcesses(fakeApi(table)).map((p) => [p.pid, p]));
    expect(byPid.get(710)?.ppid).toBe(700);
    expect(byPid.get(720)?.ppid).toBe(0);
  });

  it('lists listeners from the TCP tables with the owner exe name; null without a table', () => {
    const v4 = Buffer.alloc(4 + 24);
    v4.writeUInt32LE(1, 0);
    v4.writeUInt32LE(2, 4);
    v4.writeUInt16BE(8000, 4 + 8);
    v4.writeUInt32LE(710, 4 + 20);
    expect(listenersFromTcpTables(fakeApi(table, { 4: v4 }))).toEqual([
      { port: 8000, address: '0.0.0.0', pid: 710, processName: 'python.exe' },
    ]);
    expect(listenersFromTcpTables(fakeApi(table))).toBeNull();
    expect(listenersFromTcpTables(null)).toBeNull();
  });
});
