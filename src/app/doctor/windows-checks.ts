/**
 * Doctor on Windows: whether the facilities devlaunch relies on there actually WORK, not just
 * whether a program of that name exists. The Win32 API (koffi) gives identity, job objects and
 * socket owners; `netstat -ano` and `tasklist` are the fallback for socket owners; `netsh` gives
 * the reserved port ranges. A tool that runs but prints nothing usable (a stub, a broken
 * install, Wine's netstat without a PID column) is reported as broken. `judgeWindows` is pure.
 */
import { parseNetstatAno } from '../../ports/holders/parse-netstat.js';
import { parseTasklistCsv } from '../../ports/holders/parse-tasklist.js';
import { runToolOutput, winApi, winApiLoadError } from '../../process/index.js';
import { type CheckResult, error, ok, warn } from './check.js';

export interface ToolRun {
  /** stdout, or null when the tool could not be started (not found). */
  stdout: string | null;
  code: number | null;
  timedOut: boolean;
}

export interface WindowsFacts {
  /** null when the Win32 API loaded; else why not. */
  apiError: string | null;
  /** devlaunch's own creation time through the API (proves identity works), or null. */
  selfStartTime: string | null;
  /** Whether the TCP listener tables could be read through the API. */
  tcpTables: boolean;
  selfPid: number;
  netstat: ToolRun;
  tasklist: ToolRun;
  netsh: ToolRun;
}

function ran(tool: string, run: ToolRun): string | null {
  if (run.stdout === null) return `${tool} is not on PATH`;
  if (run.timedOut) return `${tool} did not answer within its time limit`;
  return null;
}

export function judgeWindows(f: WindowsFacts): CheckResult[] {
  const results: CheckResult[] = [];
  const apiOk = f.apiError === null && f.selfStartTime !== null;
  if (apiOk) {
    results.push(
      ok(
        'win32 api',
        'koffi loaded: job objects, process identity' +
          (f.tcpTables ? ' and socket owners come from the OS' : ' come from the OS'),
      ),
    );
    if (!f.tcpTables) {
      results.push(
        warn(
          'win32 tcp table',
          'GetExtendedTcpTable failed: port holders come from netstat instead',
        ),
      );
    }
  } else {
    results.push(
      error(
        'win32 api',
        f.apiError !== null
          ? `the Win32 binding cannot load (${f.apiError}): services run without job objects and processes cannot be identified`
          : 'the Win32 binding loaded but cannot read this process: processes cannot be identified',
        'Reinstall devlaunch with its optional dependencies (npm install without --omit=optional), on x64 or arm64 Windows.',
      ),
    );
  }
  // Fallbacks: broken is a warning while the API works, an error when they are all there is.
  const bad = apiOk ? warn : error;
  const netstatProblem =
    ran('netstat', f.netstat) ??
    (parseNetstatAno(f.netstat.stdout ?? '').length === 0
      ? 'netstat -ano printed no listening socket with a PID column: it is broken or a stub'
      : null);
  results.push(
    netstatProblem === null
      ? ok('tool netstat', 'netstat -ano works (fallback for port holders)')
      : bad('tool netstat', `${netstatProblem} (fallback for port holders)`, null),
  );
  const tasks = parseTasklistCsv(f.tasklist.stdout ?? '');
  const tasklistProblem =
    ran('tasklist', f.tasklist) ??
    (tasks.some((t) => t.pid === f.selfPid)
      ? null
      : 'tasklist /FO CSV /NH did not list this process: it is broken or a stub');
  results.push(
    tasklistProblem === null
      ? ok('tool tasklist', 'tasklist works (names of port holders, fallback)')
      : bad('tool tasklist', `${tasklistProblem} (names of port holders, fallback)`, null),
  );
  const netshProblem =
    ran('netsh', f.netsh) ??
    (f.netsh.code === 0 && /^\s*-{4,}/m.test(f.netsh.stdout ?? '')
      ? null
      : 'netsh printed no excluded port range table: it is broken or a stub');
  results.push(
    netshProblem === null
      ? ok('tool netsh', 'netsh works (reserved port ranges, WinError 10013)')
      : warn(
          'tool netsh',
          `${netshProblem}: reserved port ranges (WinError 10013) cannot be checked`,
          'Run `netsh interface ipv4 show excludedportrange protocol=tcp` to see them yourself.',
        ),
  );
  return results;
}

/** Gathers the facts on this Windows machine (every tool bounded in time). */
export async function checkWindows(): Promise<CheckResult[]> {
  const api = winApi();
  const [netstat, tasklist, netsh] = await Promise.all([
    runToolOutput('netstat', ['-ano']),
    runToolOutput('tasklist', ['/FO', 'CSV', '/NH']),
    runToolOutput('netsh', ['interface', 'ipv4', 'show', 'excludedportrange', 'protocol=tcp']),
  ]);
  return judgeWindows({
    apiError: api === null ? (winApiLoadError() ?? 'koffi is not installed') : null,
    selfStartTime: api?.creationTime(process.pid) ?? null,
    tcpTables: api?.tcpListenerTable(4) != null,
    selfPid: process.pid,
    netstat,
    tasklist,
    netsh,
  });
}
