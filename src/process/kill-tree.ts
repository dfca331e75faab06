/**
 * Stops a service's whole process tree: the process group, every descendant (also those that
 * left the group), and on Linux every process still carrying the session mark (a double-forked
 * daemon escapes both the tree and the group). `sh -c` forwards no signal, so signalling only
 * the spawned pid would orphan the real server. Windows: win/stop.ts (job object, console
 * break, then TerminateJobObject or `taskkill /F /T`, every result checked).
 */

import { constants } from 'node:os';
import { send, sleep, TreeStopper } from './tree-stopper.js';
import { processWarning } from './warnings.js';
import { winApi } from './win/api.js';
import { graceDeadline, ownedService, releaseOwned, requestBreak } from './win/owned.js';
import { stopWindowsTree, type WinStopDeps } from './win/stop.js';
import { taskkill } from './win/taskkill.js';

export interface StopTarget {
  /** The spawned process (for a string command: the shell). */
  pid: number;
  /** Its process group (POSIX), or null. */
  pgid: number | null;
  /**
   * Start time recorded at spawn. null: the caller vouches for the pid as it is now (it just
   * looked it up); its current start time is then pinned when the call starts.
   */
  startTime: string | null;
  /** DEVLAUNCH_SESSION of the service: on Linux, processes carrying it are stopped too. */
  session?: string;
  /** With `session`: sweep only processes whose DEVLAUNCH_SERVICE is this (default: the whole session). */
  service?: string;
  /**
   * With `session`: the start-time token of the process that started the session's services.
   * A process older than it cannot carry the mark, so its environment is not read (one read
   * per process on the machine, at every exit and stop). Default: every process is read.
   */
  since?: string;
}

export interface StopOptions {
  /** First signal, e.g. 'SIGTERM'. */
  signal: string;
  /** Grace after `signal` before SIGKILL, in ms. */
  timeoutMs: number;
  /** Skip the grace: straight to SIGKILL. Default false. */
  force?: boolean;
}

/**
 * Stops the whole tree: `signal` to the process group and every collected process, polls
 * until all are gone, and after `timeoutMs` sends SIGKILL to what is left. Never signals a
 * pid whose start time no longer matches. A signal unknown on this platform falls back to
 * SIGTERM. Windows: a console break to the service's console, then after `timeoutMs` the job
 * is terminated (see win/stop.ts). Returns whether SIGKILL (the forced step) was needed.
 */
export async function stopTree(
  target: StopTarget,
  opts: StopOptions,
): Promise<{ forced: boolean }> {
  if (process.platform === 'win32') return stopWindows(target, opts);
  // A signal this platform lacks (SIGBREAK outside Windows) must not abort a teardown.
  const signal =
    constants.signals[opts.signal as NodeJS.Signals] === undefined ? 'SIGTERM' : opts.signal;
  const stopper = new TreeStopper(target);
  const first = stopper.collect();
  if (first.length === 0 && stopper.group === null) return { forced: false };
  if (!opts.force) {
    stopper.signal(first, signal, true);
    // A stopped (Ctrl+Z) process keeps a SIGTERM pending until it runs again.
    if (stopper.group !== null) send(-stopper.group, 'SIGCONT');
    if (await stopper.waitGone(Date.now() + opts.timeoutMs, signal)) return { forced: false };
  }
  await stopper.kill();
  return { forced: true };
}

/** SIGKILL the whole tree now (a second Ctrl+C). */
export async function killTreeNow(target: StopTarget): Promise<void> {
  await stopTree(target, { signal: 'SIGKILL', timeoutMs: 0, force: true });
}

/** The OS calls of a Windows stop, for the target: its job when it was spawned here. */
function windowsDeps(target: StopTarget): WinStopDeps {
  const api = winApi();
  const own = ownedService(target.pid, target.startTime);
  const job = own?.job ?? null;
  return {
    job:
      own !== null && job !== null && own.api !== null
        ? {
            requestBreak: () => requestBreak(own),
            breakFailed: () => own.breakFailed,
            active: () => own.api?.jobActiveCount(job) ?? null,
            terminate: () => own.api?.terminateJob(job, 1) ?? false,
            pids: () => own.api?.jobPids(job) ?? null,
          }
        : null,
    ownChild:
      own !== null && job === null
        ? {
            exited: () => own.child.exitCode !== null || own.child.signalCode !== null,
            kill: () => own.child.kill(),
          }
        : null,
    identity: async (pid) => api?.creationTime(pid) ?? null,
    taskkill,
    now: Date.now,
    sleep,
    graceDeadline,
    warn: processWarning,
  };
}

async function stopWindows(target: StopTarget, opts: StopOptions): Promise<{ forced: boolean }> {
  const result = await stopWindowsTree(
    { pid: target.pid, startTime: target.startTime },
    { timeoutMs: opts.timeoutMs, force: opts.force === true || opts.signal === 'SIGKILL' },
    windowsDeps(target),
  );
  const own = ownedService(target.pid, target.startTime);
  if (own !== null && (own.child.exitCode !== null || own.child.signalCode !== null)) {
    releaseOwned(target.pid);
  }
  return result;
}
