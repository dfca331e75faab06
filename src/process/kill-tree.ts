/**
 * Stops a service's whole process tree: the process group, every descendant (also those that
 * left the group), and on Linux every process still carrying the session mark (a double-forked
 * daemon escapes both the tree and the group). `sh -c` forwards no signal, so signalling only
 * the spawned pid would orphan the real server. The only module that imports tree-kill.
 */
import { constants } from 'node:os';
import treeKill from 'tree-kill';
import { isSameProcess } from './proc-info.js';
import { killWaitMs, send, sleep, TreeStopper } from './tree-stopper.js';

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
 * SIGTERM. Windows: `taskkill /T /F` (tree-kill) at once, as there are no POSIX signals to ask
 * politely with. Returns whether SIGKILL was needed.
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

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function stopWindows(target: StopTarget, opts: StopOptions): Promise<{ forced: boolean }> {
  if (
    target.startTime !== null &&
    !isSameProcess({ pid: target.pid, startTime: target.startTime })
  ) {
    return { forced: false };
  }
  // taskkill /T lists the tree from the direct child: kill it first and descendants are lost.
  await new Promise<void>((resolve) => treeKill(target.pid, 'SIGKILL', () => resolve()));
  const deadline = Date.now() + Math.max(opts.timeoutMs, killWaitMs);
  while (isAlive(target.pid) && Date.now() < deadline) await sleep(50);
  return { forced: true };
}
