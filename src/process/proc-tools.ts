/**
 * Process information where there is no /proc and no Win32 API: `ps` on macOS and the BSDs.
 * Best effort, bounded in time: a failing or hanging tool means "nothing known", never an
 * exception. (Windows asks the OS directly: win/identity.ts.)
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
      timeout: 10_000,
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

export function listProcessesByTool(): ProcessInfo[] {
  return fromPs(['-A', '-o', psFormat]);
}

export function processInfoByTool(pid: number): ProcessInfo | null {
  const rows = fromPs(['-p', String(pid), '-o', psFormat]);
  return rows.find((r) => r.pid === pid) ?? null;
}
