/**
 * Whether a service's processes are stopped (SIGSTOP, SIGTSTP, a debugger): such a service
 * keeps its port — the kernel even completes TCP handshakes for it — but answers nothing, so
 * `status` must call it unhealthy even when a `tcp` probe connects.
 */
import { execFileSync } from 'node:child_process';
import { descendantsOf, readProcStat } from './proc-info.js';

/** The pids of `pid` and its descendants that are stopped; empty where it cannot be known. */
export function stoppedInTree(pid: number): number[] {
  if (process.platform === 'linux') {
    const tree = [pid, ...descendantsOf(pid).map((p) => p.pid)];
    return tree.filter((p) => {
      const state = readProcStat(p)?.state;
      return state === 'T' || state === 't';
    });
  }
  if (process.platform === 'win32') return []; // no job control signals
  try {
    const stat = execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], {
      encoding: 'utf8',
      timeout: 2000,
    });
    return stat.trim().startsWith('T') ? [pid] : [];
  } catch {
    return [];
  }
}
