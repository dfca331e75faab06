/**
 * Who a process is: pid, parent, group, user, command line and start time. On Linux it
 * reads /proc synchronously (a few small files per process, no tool to spawn); on Windows it
 * asks the OS through win/api.ts (no tool, no PowerShell); on macOS `ps` (see proc-tools.ts). Identity is pid plus start time, because
 * pids are reused: a record whose start time no longer matches is a different process.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { type ProcStat, parsePasswd, parseProcStat } from './proc-parse.js';
import { listProcessesByTool, processInfoByTool } from './proc-tools.js';
import type { ProcessIdentity, ProcessInfo } from './types.js';
import { winApi } from './win/api.js';
import { winListProcesses, winProcessInfo } from './win/identity.js';

const isLinux = process.platform === 'linux';
const isWindows = process.platform === 'win32';
/** USER_HZ: the unit of starttime in /proc/PID/stat; 100 on every Linux ABI Node runs on. */
const clockTicks = 100;

let bootTimeMs: number | undefined;
let users: Map<number, string> | undefined;

function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null; // gone, or not ours to read: either way nothing to report
  }
}

function bootTime(): number {
  if (bootTimeMs === undefined) {
    const btime = /^btime\s+(\d+)/m.exec(read('/proc/stat') ?? '')?.[1];
    bootTimeMs = btime === undefined ? 0 : Number(btime) * 1000;
  }
  return bootTimeMs;
}

function userName(uid: number | null): string {
  if (uid === null) return '';
  users ??= parsePasswd(read('/etc/passwd') ?? '');
  return users.get(uid) ?? String(uid);
}

/** /proc/PID/stat, zombies included (a zombie still holds its pid until reaped). */
export function readProcStat(pid: number): ProcStat | null {
  const text = read(`/proc/${pid}/stat`);
  return text === null ? null : parseProcStat(text);
}

const isGone = (stat: ProcStat): boolean => stat.state === 'Z' || stat.state === 'X';

/** Information about a live process; null if it is gone or a zombie. */
export function processInfo(pid: number): ProcessInfo | null {
  if (!Number.isInteger(pid) || pid <= 0) return null;
  if (isWindows) {
    const api = winApi();
    return api === null ? null : winProcessInfo(api, pid);
  }
  if (!isLinux) return processInfoByTool(pid);
  const stat = readProcStat(pid);
  if (stat === null || isGone(stat)) return null;
  const uidText = /^Uid:\s+(\d+)/m.exec(read(`/proc/${pid}/status`) ?? '')?.[1];
  const uid = uidText === undefined ? null : Number(uidText);
  const argv = (read(`/proc/${pid}/cmdline`) ?? '').split('\0').filter((a) => a !== '');
  const startedMs = bootTime() + (Number(stat.startTime) * 1000) / clockTicks;
  return {
    pid,
    ppid: stat.ppid,
    pgid: stat.pgid,
    uid,
    user: userName(uid),
    // Kernel threads have no command line; ps shows them as [comm] too.
    command: argv.length > 0 ? argv.join(' ') : `[${stat.comm}]`,
    startTime: stat.startTime,
    startedAt: new Date(startedMs).toISOString(),
  };
}

/** What walking a process tree needs of a process: who it is, its parent and its group. */
export type ProcessEntry = Pick<ProcessInfo, 'pid' | 'ppid' | 'pgid' | 'startTime'>;

/**
 * Every live process (zombies skipped), as much as walking trees needs: on Linux one read of
 * /proc/PID/stat each, where `listProcesses` reads three files per process. Stopping a tree
 * reads the table at every exit, and a busy machine has hundreds of processes.
 */
export function listProcessEntries(): ProcessEntry[] {
  if (!isLinux) return listProcesses();
  const out: ProcessEntry[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readProcStat(Number(entry));
    if (stat === null || isGone(stat)) continue;
    out.push({ pid: stat.pid, ppid: stat.ppid, pgid: stat.pgid, startTime: stat.startTime });
  }
  return out;
}

/**
 * Whether start-time token `a` is earlier than `b` (both from this machine and platform);
 * false when either is not a number (nothing can be concluded).
 */
export function startedBefore(a: string, b: string): boolean {
  if (!/^\d+$/.test(a) || !/^\d+$/.test(b)) return false;
  const x = a.replace(/^0+(?=\d)/, '');
  const y = b.replace(/^0+(?=\d)/, '');
  return x.length !== y.length ? x.length < y.length : x < y;
}

/** Every live process (zombies skipped). */
export function listProcesses(): ProcessInfo[] {
  if (isWindows) {
    const api = winApi();
    return api === null ? [] : winListProcesses(api);
  }
  if (!isLinux) return listProcessesByTool();
  const out: ProcessInfo[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const info = processInfo(Number(entry));
    if (info !== null) out.push(info);
  }
  return out;
}

/**
 * Transitive children of `pid` by parent pid, from one snapshot of the process table (read
 * now when not given).
 */
export function descendantsOf<T extends ProcessEntry>(pid: number, table: readonly T[]): T[];
export function descendantsOf(pid: number): ProcessEntry[];
export function descendantsOf(
  pid: number,
  table: readonly ProcessEntry[] = listProcessEntries(),
): ProcessEntry[] {
  const children = new Map<number, ProcessEntry[]>();
  for (const p of table) {
    const list = children.get(p.ppid);
    if (list === undefined) children.set(p.ppid, [p]);
    else list.push(p);
  }
  const found: ProcessEntry[] = [];
  const seen = new Set<number>([pid]);
  const queue = [pid];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    for (const child of children.get(next) ?? []) {
      if (seen.has(child.pid)) continue; // pid 0 / self-parented entries must not loop
      seen.add(child.pid);
      found.push(child);
      queue.push(child.pid);
    }
  }
  return found;
}

/** The environment a process was started with (Linux only; null elsewhere or if unreadable). */
export function readEnviron(pid: number): Record<string, string> | null {
  if (!isLinux) return null;
  const text = read(`/proc/${pid}/environ`);
  if (text === null) return null;
  const env: Record<string, string> = {};
  for (const entry of text.split('\0')) {
    const eq = entry.indexOf('=');
    if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return env;
}

/** The DEVLAUNCH_SESSION a process was started with, or null (Linux only). */
export function sessionMark(pid: number): string | null {
  return readEnviron(pid)?.DEVLAUNCH_SESSION ?? null;
}

/** True if the process is alive (not a zombie) AND started when the record says. */
export function isSameProcess(id: ProcessIdentity): boolean {
  if (id.startTime === '') return false;
  if (isWindows) return winApi()?.creationTime(id.pid) === id.startTime;
  if (!isLinux) return processInfo(id.pid)?.startTime === id.startTime;
  const stat = readProcStat(id.pid);
  return stat !== null && !isGone(stat) && stat.startTime === id.startTime;
}

/** The identity token of a process, zombies included (read right after spawning it). */
export function startTimeOf(pid: number): string | null {
  if (isWindows) return winApi()?.creationTime(pid) ?? null;
  if (!isLinux) return processInfo(pid)?.startTime ?? null;
  return readProcStat(pid)?.startTime ?? null;
}
