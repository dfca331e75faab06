/**
 * Process identity on Windows from the OS itself (through WinApi, never PowerShell or tool
 * text): pid, parent, executable, command line, owner, session and creation time, whose
 * FILETIME (100 ns units) is the identity token. Pure over the injected API.
 */
import type { ProcessInfo } from '../types.js';
import type { SnapshotEntry, WinApi } from './api.js';
import { fileTimeToMs } from './decode.js';

function describe(api: WinApi, entry: SnapshotEntry): ProcessInfo {
  const created = entry.pid === 0 ? null : api.creationTime(entry.pid);
  const owner = created === null ? null : api.owner(entry.pid);
  const startedMs = created === null ? 0 : fileTimeToMs(created);
  return {
    pid: entry.pid,
    ppid: entry.ppid,
    pgid: null,
    uid: null,
    user: owner?.user ?? '',
    command:
      (created === null ? null : (api.commandLine(entry.pid) ?? api.imagePath(entry.pid))) ??
      entry.exe,
    // '' = unknown: isSameProcess never matches it, so it can never justify a stop.
    startTime: created ?? '',
    startedAt: new Date(startedMs).toISOString(),
    sid: owner?.sid ?? null,
    winSession: api.sessionId(entry.pid),
    exe: entry.exe,
  };
}

/**
 * Every process. A parent pid is dropped (0) when that pid now belongs to a process created
 * after the child: Windows reuses the pid of an exited parent, and following it would make an
 * unrelated process look like an ancestor (or its children look like ours).
 */
export function winListProcesses(api: WinApi): ProcessInfo[] {
  const table = api.snapshot().map((e) => describe(api, e));
  const byPid = new Map(table.map((p) => [p.pid, p]));
  for (const p of table) {
    const parent = byPid.get(p.ppid);
    if (parent === undefined || p.ppid === p.pid) continue;
    if (
      parent.startTime !== '' &&
      p.startTime !== '' &&
      BigInt(parent.startTime) > BigInt(p.startTime)
    ) {
      p.ppid = 0;
    }
  }
  return table;
}

/** One live process, or null when there is no such pid. */
export function winProcessInfo(api: WinApi, pid: number): ProcessInfo | null {
  const created = api.creationTime(pid);
  if (created === null) {
    // Not openable: gone, or protected (System, another user's elevated process).
    const entry = api.snapshot().find((e) => e.pid === pid);
    return entry === undefined ? null : describe(api, entry);
  }
  const entry = api.snapshot().find((e) => e.pid === pid);
  return describe(api, entry ?? { pid, ppid: 0, exe: '' });
}

/** The creation-time token of `pid`, or null if it cannot be opened. */
export function winStartTime(api: WinApi, pid: number): string | null {
  return api.creationTime(pid);
}
