/**
 * Process information where there is no /proc: `ps` on macOS and the BSDs, CIM through
 * PowerShell on Windows (wmic is deprecated and missing from recent Windows). Best effort:
 * a failing tool means "nothing known", never an exception.
 */
import { execFileSync } from 'node:child_process';
import { parsePsOutput } from './proc-parse.js';
import type { ProcessInfo } from './types.js';

const psFormat = 'pid=,ppid=,pgid=,uid=,user=,lstart=,command=';

function run(file: string, args: string[]): string {
  try {
    // LC_ALL=C: lstart must be in English for the parser, whatever the user's locale.
    return execFileSync(file, args, {
      encoding: 'utf8',
      env: { ...process.env, LC_ALL: 'C' },
      stdio: ['ignore', 'pipe', 'ignore'],
      maxBuffer: 64 * 1024 * 1024,
      windowsHide: true,
    });
  } catch (error) {
    // `ps -p PID` exits 1 when the pid is gone but may still have printed the header-less rows.
    const stdout = (error as { stdout?: unknown }).stdout;
    return typeof stdout === 'string' ? stdout : '';
  }
}

function fromPs(args: string[]): ProcessInfo[] {
  return parsePsOutput(run('ps', args)).map((row) => ({
    pid: row.pid,
    ppid: row.ppid,
    pgid: row.pgid,
    uid: row.uid,
    user: row.user,
    command: row.command,
    startTime: row.startTime,
    startedAt: row.startedAt,
  }));
}

interface CimProcess {
  ProcessId?: number;
  ParentProcessId?: number;
  CommandLine?: string | null;
  Name?: string | null;
  Start?: number | null;
}

// Windows FILETIME (100 ns since 1601) to ms since the epoch.
const fileTimeToMs = (ft: number): number => Math.floor(ft / 10_000) - 11_644_473_600_000;

function fromCim(filter: string): ProcessInfo[] {
  const script =
    `Get-CimInstance Win32_Process ${filter}| Select-Object ProcessId,ParentProcessId,Name,` +
    `CommandLine,@{n='Start';e={$_.CreationDate.ToFileTimeUtc()}} | ConvertTo-Json -Compress`;
  const text = run('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', script]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return [];
  }
  const list = (Array.isArray(parsed) ? parsed : [parsed]) as CimProcess[];
  return list.flatMap((p) => {
    if (typeof p?.ProcessId !== 'number' || typeof p.Start !== 'number') return [];
    const start = fileTimeToMs(p.Start);
    return [
      {
        pid: p.ProcessId,
        ppid: p.ParentProcessId ?? 0,
        pgid: null,
        uid: null,
        user: '',
        command: p.CommandLine ?? p.Name ?? '',
        startTime: String(start),
        startedAt: new Date(start).toISOString(),
      },
    ];
  });
}

export function listProcessesByTool(): ProcessInfo[] {
  return process.platform === 'win32' ? fromCim('') : fromPs(['-A', '-o', psFormat]);
}

export function processInfoByTool(pid: number): ProcessInfo | null {
  const rows =
    process.platform === 'win32'
      ? fromCim(`-Filter "ProcessId=${pid}" `)
      : fromPs(['-p', String(pid), '-o', psFormat]);
  return rows.find((r) => r.pid === pid) ?? null;
}
