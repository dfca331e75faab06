import { afterEach, describe, expect, it, vi } from 'vitest';
import type { JobControl, WinStopDeps } from '../../../src/process/win/stop.js';
import { stopWindowsTree } from '../../../src/process/win/stop.js';
import type { ToolResult } from '../../../src/process/win/taskkill.js';

/** A fake clock: sleep advances it at once, so a 10 s grace takes no real time. */
function makeDeps(over: Partial<WinStopDeps> = {}) {
  let now = 0;
  const warnings: string[] = [];
  const taskkills: { pid: number; force: boolean }[] = [];
  const deps: WinStopDeps = {
    job: null,
    ownChild: null,
    identity: async () => null,
    taskkill: async (pid, force) => {
      taskkills.push({ pid, force });
      return { code: 0, output: '', timedOut: false };
    },
    now: () => now,
    sleep: async (ms) => {
      now += ms;
    },
    graceDeadline: (start, timeoutMs) => start + timeoutMs,
    warn: (m) => warnings.push(m),
    ...over,
  };
  return { deps, warnings, taskkills, elapsed: () => now };
}

/** A job whose processes leave on a break (if `obeys`) or on terminate (if `terminable`). */
function fakeJob(opts: { obeys: boolean; terminable?: boolean; active?: number | null }) {
  const calls: string[] = [];
  let active: number | null = opts.active === undefined ? 2 : opts.active;
  const job: JobControl = {
    requestBreak: () => {
      calls.push('break');
      if (opts.obeys) active = 0;
      return true;
    },
    active: () => active,
    terminate: () => {
      calls.push('terminate');
      if (opts.terminable ?? true) {
        active = 0;
        return true;
      }
      return false;
    },
    pids: () => [11, 12],
  };
  return { job, calls };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('stopWindowsTree: a service spawned here (job object)', () => {
  it('sends a console break first and stops there when the tree obeys', async () => {
    const { job, calls } = fakeJob({ obeys: true });
    const { deps, taskkills } = makeDeps({ job });
    expect(await stopWindowsTree({ pid: 10, startTime: '1' }, { timeoutMs: 5000 }, deps)).toEqual({
      forced: false,
    });
    expect(calls).toEqual(['break']);
    expect(taskkills).toEqual([]);
  });

  it('terminates the job after stop_timeout when the break is ignored', async () => {
    const { job, calls } = fakeJob({ obeys: false });
    const { deps, elapsed } = makeDeps({ job });
    expect(await stopWindowsTree({ pid: 10, startTime: '1' }, { timeoutMs: 3000 }, deps)).toEqual({
      forced: true,
    });
    expect(calls).toEqual(['break', 'terminate']);
    expect(elapsed()).toBeGreaterThanOrEqual(3000);
    expect(elapsed()).toBeLessThan(3200);
  });

  it('goes on to the forced step at once when the launcher says the break was refused', async () => {
    const { job, calls } = fakeJob({ obeys: false });
    job.breakFailed = () => 'GenerateConsoleCtrlEvent failed (Win32 error 6)';
    const { deps, elapsed, warnings } = makeDeps({ job });
    expect(await stopWindowsTree({ pid: 10, startTime: '1' }, { timeoutMs: 10_000 }, deps)).toEqual(
      { forced: true },
    );
    expect(calls).toEqual(['break', 'terminate']);
    expect(elapsed()).toBeLessThan(500);
    expect(warnings.join('\n')).toMatch(/no console break \(GenerateConsoleCtrlEvent failed/);
  });

  it('skips the grace when forced (second Ctrl+C)', async () => {
    const { job, calls } = fakeJob({ obeys: true });
    const { deps } = makeDeps({ job });
    await stopWindowsTree({ pid: 10, startTime: '1' }, { timeoutMs: 3000, force: true }, deps);
    expect(calls).toEqual(['terminate']);
  });

  it('checks TerminateJobObject: on failure it runs taskkill /F on every pid of the job', async () => {
    const { job } = fakeJob({ obeys: false, terminable: false });
    const { deps, taskkills, warnings } = makeDeps({ job });
    expect(await stopWindowsTree({ pid: 10, startTime: '1' }, { timeoutMs: 100 }, deps)).toEqual({
      forced: true,
    });
    expect(taskkills).toEqual([
      { pid: 11, force: true },
      { pid: 12, force: true },
    ]);
    expect(warnings.join('\n')).toMatch(/TerminateJobObject failed/);
    expect(warnings.join('\n')).toMatch(/still running after TerminateJobObject and taskkill/);
  });

  it('does not need the identity check: a hung one cannot delay or prevent the stop', async () => {
    const { job, calls } = fakeJob({ obeys: false });
    const { deps, elapsed } = makeDeps({ job, identity: () => new Promise(() => {}) });
    expect(await stopWindowsTree({ pid: 10, startTime: '1' }, { timeoutMs: 4000 }, deps)).toEqual({
      forced: true,
    });
    expect(calls).toEqual(['break', 'terminate']);
    expect(elapsed()).toBeLessThan(4000 + 3000);
  });

  it('a job that cannot be queried is still terminated, never taken for empty', async () => {
    const { job, calls } = fakeJob({ obeys: false, active: null });
    job.terminate = () => {
      calls.push('terminate');
      return true; // the count stays unknown: a successful terminate is what counts
    };
    const { deps } = makeDeps({ job });
    expect(await stopWindowsTree({ pid: 10, startTime: '1' }, { timeoutMs: 500 }, deps)).toEqual({
      forced: true,
    });
    expect(calls).toEqual(['break', 'terminate']);
  });

  it('a closing console shortens the grace', async () => {
    const { job } = fakeJob({ obeys: false });
    const { deps, elapsed } = makeDeps({
      job,
      graceDeadline: (start, timeoutMs) => Math.min(start + timeoutMs, 2500),
    });
    await stopWindowsTree({ pid: 10, startTime: '1' }, { timeoutMs: 10_000 }, deps);
    expect(elapsed()).toBeLessThan(2600);
  });
});

describe('stopWindowsTree: spawned here without a job', () => {
  it('ends the tree with taskkill /F /T, then the handle, without any identity check', async () => {
    let exited = false;
    const kills: string[] = [];
    const { deps, taskkills } = makeDeps({
      identity: () => new Promise(() => {}),
      taskkill: async (pid, force) => {
        taskkills.push({ pid, force });
        return { code: 1, output: 'Access is denied.', timedOut: false };
      },
      ownChild: {
        exited: () => exited,
        kill: () => {
          kills.push('kill');
          exited = true;
          return true;
        },
      },
    });
    expect(await stopWindowsTree({ pid: 10, startTime: '1' }, { timeoutMs: 100 }, deps)).toEqual({
      forced: true,
    });
    expect(taskkills).toEqual([{ pid: 10, force: true }]);
    expect(kills).toEqual(['kill']);
  });
});

describe('stopWindowsTree: a process devlaunch did not spawn', () => {
  const gone: ToolResult = { code: 0, output: 'SUCCESS', timedOut: false };

  it('stops nothing, and says so, when the identity check hangs (the pid may be reused)', async () => {
    const { deps, taskkills, warnings } = makeDeps({
      identity: () => new Promise(() => {}),
      identityTimeoutMs: 20,
    });
    // The identity check's bound is a real timer: timed on a fake clock here, so the test says
    // it gives up after those 20 ms (not the 2 s default), whatever the machine's load.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let result: unknown = null;
    void stopWindowsTree({ pid: 42, startTime: '7' }, { timeoutMs: 100 }, deps).then((r) => {
      result = r;
    });
    await vi.advanceTimersByTimeAsync(20);
    expect(result).toEqual({ forced: false });
    expect(taskkills).toEqual([]);
    expect(warnings.join('\n')).toMatch(/identity could not be checked/);
  });

  it('never touches a reused pid (another creation time)', async () => {
    const { deps, taskkills } = makeDeps({ identity: async () => '999' });
    await stopWindowsTree({ pid: 42, startTime: '7' }, { timeoutMs: 100 }, deps);
    expect(taskkills).toEqual([]);
  });

  it('asks politely first (taskkill /T), and forces only what is left after the grace', async () => {
    let alive = true;
    const { deps, taskkills } = makeDeps({
      identity: async () => (alive ? '7' : null),
      taskkill: async (pid, force) => {
        taskkills.push({ pid, force });
        if (force) alive = false;
        return gone;
      },
    });
    expect(await stopWindowsTree({ pid: 42, startTime: '7' }, { timeoutMs: 1000 }, deps)).toEqual({
      forced: true,
    });
    expect(taskkills).toEqual([
      { pid: 42, force: false },
      { pid: 42, force: true },
    ]);
  });

  it('skips the wait when the polite request was refused (a console program)', async () => {
    let alive = true;
    const { deps, elapsed } = makeDeps({
      identity: async () => (alive ? '7' : null),
      taskkill: async (_pid, force) => {
        if (force) alive = false;
        return force
          ? gone
          : { code: 1, output: 'can only be terminated forcefully', timedOut: false };
      },
    });
    await stopWindowsTree({ pid: 42, startTime: '7' }, { timeoutMs: 10_000 }, deps);
    expect(elapsed()).toBeLessThan(1000);
  });

  it('reports a forced taskkill that failed or timed out', async () => {
    const { deps, warnings } = makeDeps({
      identity: async () => '7',
      taskkill: async () => ({ code: null, output: '', timedOut: true }),
    });
    expect(
      await stopWindowsTree({ pid: 42, startTime: '7' }, { timeoutMs: 0, force: true }, deps),
    ).toEqual({ forced: true });
    expect(warnings.join('\n')).toMatch(/taskkill \/F \/T failed \(timed out\)/);
    expect(warnings.join('\n')).toMatch(/still running/);
  });
});
