/**
 * Stopping a tree on Windows, graceful then forced, never hanging and never "succeeding" by
 * doing nothing. Every OS call is injected (WinStopDeps), so each path is unit-tested on Linux.
 *
 * - A service spawned here has a job object holding its whole tree: a console break first
 *   (the launcher sends CTRL_BREAK_EVENT to the service's own console), then after the grace
 *   TerminateJobObject, checked; if the job will not empty, `taskkill /F` on each of its pids.
 *   No identity check is needed or made: the job and the handle ARE the identity.
 * - Spawned here without a job (no Win32 API): `taskkill /F /T` from the spawned process, then
 *   the handle devlaunch holds, checked.
 * - Anything else (a foreign holder, a record of another session): only while its creation
 *   time still matches, checked with a bounded wait. An identity that cannot be checked stops
 *   nothing (the pid may be reused) and says so. `taskkill /T` first (asks windowed programs to
 *   close), then `taskkill /F /T`.
 */
import type { ToolResult } from './taskkill.js';
import { TASKKILL_NOT_FOUND } from './taskkill.js';

export interface JobControl {
  /** Asks for a console break; false when it could not be asked. */
  requestBreak(): boolean;
  /** Why the break could not be delivered, once known (then the grace is not waited out). */
  breakFailed?(): string | undefined;
  /** Processes alive in the job; null when it cannot be queried. */
  active(): number | null;
  terminate(): boolean;
  pids(): number[] | null;
}

export interface WinStopDeps {
  job: JobControl | null;
  /** The process spawned here (without a job): a handle to exactly it. */
  ownChild: { exited(): boolean; kill(): boolean } | null;
  /** Creation time of `pid`, null when it is gone. May hang or fail: it is bounded. */
  identity(pid: number): Promise<string | null>;
  taskkill(pid: number, force: boolean): Promise<ToolResult>;
  now(): number;
  sleep(ms: number): Promise<void>;
  /** End of the grace that began at `start` (a closing console shortens it). */
  graceDeadline(start: number, timeoutMs: number): number;
  warn(message: string): void;
  /** Default identityTimeoutMs. */
  identityTimeoutMs?: number;
}

export interface WinStopTarget {
  pid: number;
  startTime: string | null;
}

export interface WinStopOptions {
  timeoutMs: number;
  force?: boolean;
}

/** How long one identity check may take before it counts as unanswerable. */
export const identityTimeoutMs = 2000;
/** How long a forced step is given to take effect. */
export const forcedWaitMs = 2000;
const pollMs = 50;

async function waitFor(
  done: () => boolean | Promise<boolean>,
  deadline: number,
  deps: WinStopDeps,
): Promise<boolean> {
  for (;;) {
    if (await done()) return true;
    if (deps.now() >= deadline) return false;
    await deps.sleep(pollMs);
  }
}

const failed = (r: ToolResult) => r.code !== 0 && r.code !== TASKKILL_NOT_FOUND;
const describe = (r: ToolResult) =>
  r.timedOut ? 'timed out' : `exit ${r.code ?? 'none'}${r.output ? `: ${r.output}` : ''}`;

export async function stopWindowsTree(
  target: WinStopTarget,
  opts: WinStopOptions,
  deps: WinStopDeps,
): Promise<{ forced: boolean }> {
  if (deps.job !== null) return stopJob(target, opts, deps.job, deps);
  if (deps.ownChild !== null) return stopOwnChild(target, deps.ownChild, deps);
  return stopByPid(target, opts, deps);
}

async function stopJob(
  target: WinStopTarget,
  opts: WinStopOptions,
  job: JobControl,
  deps: WinStopDeps,
): Promise<{ forced: boolean }> {
  let terminated = false;
  // An unanswerable query counts as "still running" until the job has been terminated.
  const empty = () => (job.active() ?? (terminated ? 0 : 1)) === 0;
  if (empty()) return { forced: false };
  const start = deps.now();
  if (!opts.force) {
    if (!job.requestBreak()) deps.warn(`pid ${target.pid}: could not send a console break`);
    const refused = () => job.breakFailed?.() !== undefined;
    const over = () => empty() || refused();
    await waitFor(over, deps.graceDeadline(start, opts.timeoutMs), deps);
    if (empty()) return { forced: false };
    const why = job.breakFailed?.();
    if (why !== undefined) deps.warn(`pid ${target.pid}: no console break (${why}): forced stop`);
  }
  terminated = job.terminate();
  if (!terminated) deps.warn(`pid ${target.pid}: TerminateJobObject failed`);
  if (terminated && (await waitFor(empty, deps.now() + forcedWaitMs, deps))) {
    return { forced: true };
  }
  const pids = job.pids() ?? [target.pid];
  const results = await Promise.all(pids.map((pid) => deps.taskkill(pid, true)));
  const errors = results.flatMap((r, i) => (failed(r) ? [`${pids[i]}: ${describe(r)}`] : []));
  if (!(await waitFor(empty, deps.now() + forcedWaitMs, deps))) {
    deps.warn(
      `pid ${target.pid}: processes still running after TerminateJobObject and taskkill /F` +
        (errors.length > 0 ? ` (${errors.join('; ')})` : ''),
    );
  }
  return { forced: true };
}

async function stopOwnChild(
  target: WinStopTarget,
  child: { exited(): boolean; kill(): boolean },
  deps: WinStopDeps,
): Promise<{ forced: boolean }> {
  // Without a job there is no console break to send: the tree is ended from its root down
  // (taskkill lists descendants from the root, so the root must still be alive for it).
  if (child.exited()) return { forced: false };
  const result = await deps.taskkill(target.pid, true);
  if (failed(result)) deps.warn(`pid ${target.pid}: taskkill /F /T failed (${describe(result)})`);
  if (!child.exited() && !child.kill()) deps.warn(`pid ${target.pid}: TerminateProcess failed`);
  if (!(await waitFor(() => child.exited(), deps.now() + forcedWaitMs, deps))) {
    deps.warn(`pid ${target.pid}: still running after taskkill /F and TerminateProcess`);
  }
  return { forced: true };
}

const TIMEOUT: unique symbol = Symbol('timeout');
type Timeout = typeof TIMEOUT;

/** `promise`, or TIMEOUT after `ms` (or when it fails); the timer never outlives the race. */
function bounded<T>(promise: Promise<T>, ms: number): Promise<T | Timeout> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<Timeout>((resolve) => {
    timer = setTimeout(() => resolve(TIMEOUT), ms);
  });
  const timedOut = (): Timeout => TIMEOUT;
  return Promise.race<T | Timeout>([promise.catch(timedOut), limit]).finally(() =>
    clearTimeout(timer),
  );
}

async function stopByPid(
  target: WinStopTarget,
  opts: WinStopOptions,
  deps: WinStopDeps,
): Promise<{ forced: boolean }> {
  let pinned = target.startTime;
  const check = async (): Promise<'same' | 'gone' | 'unknown'> => {
    const now = await bounded(
      deps.identity(target.pid),
      deps.identityTimeoutMs ?? identityTimeoutMs,
    );
    if (now === TIMEOUT) return 'unknown';
    if (now === null) return 'gone';
    pinned ??= now;
    return now === pinned ? 'same' : 'gone'; // a different creation time: the pid was reused
  };
  const first = await check();
  if (first === 'gone') return { forced: false };
  if (first === 'unknown') {
    deps.warn(
      `pid ${target.pid}: its identity could not be checked in time, so it was not stopped`,
    );
    return { forced: false };
  }
  const start = deps.now();
  if (!opts.force) {
    const polite = await deps.taskkill(target.pid, false);
    const gone = async () => (await check()) === 'gone';
    if (
      polite.code === 0 &&
      (await waitFor(gone, deps.graceDeadline(start, opts.timeoutMs), deps))
    ) {
      return { forced: false };
    }
    if ((await check()) !== 'same') return { forced: false };
  }
  const forced = await deps.taskkill(target.pid, true);
  if (failed(forced)) deps.warn(`pid ${target.pid}: taskkill /F /T failed (${describe(forced)})`);
  const gone = async () => (await check()) === 'gone';
  if (!(await waitFor(gone, deps.now() + forcedWaitMs, deps))) {
    deps.warn(`pid ${target.pid}: still running after taskkill /F /T`);
  }
  return { forced: true };
}
