import { describe, expect, it } from 'vitest';
import type { SpawnedService } from '../../../src/process/index.js';
import {
  isSettled,
  type Lifecycle,
  type LifecycleContext,
  publicState,
  type Run,
  transition,
} from '../../../src/supervisor/lifecycle.js';

const proc = (pid: number) => ({ pid }) as unknown as SpawnedService;
const run = (pid = 1): Run => ({ proc: proc(pid), startedAt: '2026-01-01T00:00:00.000Z' });
const ctx: LifecycleContext = {
  policy: 'on-failure',
  maxRestarts: 1,
  restarts: 0,
  describeExit: (code, signal) => (signal ? `killed by ${signal}` : `exited with code ${code}`),
};
const r = run();

describe('lifecycle transition', () => {
  it('pending → spawning → starting → ready', () => {
    let s: Lifecycle = { kind: 'pending' };
    s = transition(s, { type: 'start' }, ctx)!;
    expect(s).toEqual({ kind: 'spawning' });
    s = transition(s, { type: 'spawned', run: r }, ctx)!;
    expect(s).toEqual({ kind: 'starting', run: r });
    s = transition(s, { type: 'ready', proc: r.proc, elapsedMs: 5 }, ctx)!;
    expect(s).toEqual({ kind: 'ready', run: r });
  });

  it('ignores the inputs of an earlier process', () => {
    const s: Lifecycle = { kind: 'ready', run: r };
    const old = proc(99);
    expect(
      transition(s, { type: 'exited', proc: old, exit: { code: 1, signal: null } }, ctx),
    ).toBeNull();
    expect(
      transition({ kind: 'starting', run: r }, { type: 'ready', proc: old, elapsedMs: 1 }, ctx),
    ).toBeNull();
  });

  it('a process that exited 0 leaving a daemon goes on as that daemon, starting', () => {
    const exiting: Lifecycle = { kind: 'exiting', run: r, exit: { code: 0, signal: null } };
    const daemon = run(7);
    const daemonized = { type: 'daemonized', proc: r.proc, run: daemon } as const;
    expect(transition(exiting, { ...daemonized, ready: false }, ctx)).toEqual({
      kind: 'starting',
      run: daemon,
    });
    // It was ready when it exited: its daemon already answered.
    expect(transition(exiting, { ...daemonized, ready: true }, ctx)).toEqual({
      kind: 'ready',
      run: daemon,
    });
    // Too late: the exit was judged, or a stop took over.
    expect(
      transition(
        { kind: 'completed', exit: { code: 0, signal: null } },
        { ...daemonized, ready: false },
        ctx,
      ),
    ).toBeNull();
    const stopping = transition(exiting, { type: 'stop', force: false }, ctx)!;
    expect(transition(stopping, { ...daemonized, ready: false }, ctx)).toBeNull();
  });

  it('a process that exits is swept, then restarted, completed or failed', () => {
    const exit = { code: 1, signal: null };
    const exiting = transition(
      { kind: 'ready', run: r },
      { type: 'exited', proc: r.proc, exit },
      ctx,
    )!;
    expect(exiting).toEqual({ kind: 'exiting', run: r, exit });
    expect(transition(exiting, { type: 'swept', proc: r.proc }, ctx)).toEqual({
      kind: 'backoff',
      exit,
      attempt: 1,
      delayMs: 500,
    });
    expect(transition(exiting, { type: 'swept', proc: r.proc }, { ...ctx, restarts: 1 })).toEqual({
      kind: 'failed',
      reason: 'exited with code 1',
      exit,
      run: null,
    });
    const clean = { kind: 'exiting' as const, run: r, exit: { code: 0, signal: null } };
    expect(transition(clean, { type: 'swept', proc: r.proc }, ctx)).toEqual({
      kind: 'completed',
      exit: clean.exit,
    });
  });

  it('a stop while spawning is a state of its own, and ends in stopping or stopped', () => {
    const s = transition({ kind: 'spawning' }, { type: 'stop', force: false }, ctx)!;
    expect(s).toEqual({ kind: 'stop-requested-while-spawning', force: false });
    expect(publicState(s)).toBe('stopping');
    expect(transition(s, { type: 'spawned', run: r }, ctx)).toMatchObject({
      kind: 'stopping',
      run: r,
      exit: null,
      becomes: 'stopped',
    });
    expect(transition(s, { type: 'spawn-failed', reason: 'x' }, ctx)).toEqual({
      kind: 'stopped',
      exit: null,
    });
  });

  it('stop: from each state to where it leads', () => {
    const exit = { code: 1, signal: null };
    const cases: [Lifecycle, Lifecycle['kind'] | null][] = [
      [{ kind: 'pending' }, 'stopped'],
      [{ kind: 'backoff', exit, attempt: 1, delayMs: 500 }, 'stopped'],
      [{ kind: 'starting', run: r }, 'stopping'],
      [{ kind: 'ready', run: r }, 'stopping'],
      [{ kind: 'exiting', run: r, exit }, 'stopping'],
      [{ kind: 'failed', reason: 'not ready', exit: null, run: r }, 'stopping'],
      [{ kind: 'failed', reason: 'x', exit, run: null }, null],
      [{ kind: 'completed', exit: { code: 0, signal: null } }, null],
      [{ kind: 'stopped', exit: null }, null],
    ];
    for (const [from, to] of cases) {
      expect(transition(from, { type: 'stop', force: false }, ctx)?.kind ?? null, from.kind).toBe(
        to,
      );
    }
  });

  it('a failed service still running is stopped and stays failed', () => {
    const failed: Lifecycle = { kind: 'failed', reason: 'not ready', exit: null, run: r };
    const s = transition(failed, { type: 'stop', force: false }, ctx)!;
    const gone = transition(s, { type: 'gone', proc: r.proc, forced: false, elapsedMs: 1 }, ctx)!;
    expect(gone).toEqual({ kind: 'failed', reason: 'not ready', exit: null, run: null });
    expect(isSettled(gone)).toBe(true);
    expect(isSettled(failed)).toBe(false);
  });

  it('a second, forced stop escalates a graceful one; a third changes nothing', () => {
    const s = transition({ kind: 'ready', run: r }, { type: 'stop', force: false }, ctx)!;
    const forced = transition(s, { type: 'stop', force: true }, ctx)!;
    expect(forced).toMatchObject({ kind: 'stopping', force: true });
    expect(transition(forced, { type: 'stop', force: true }, ctx)).toBeNull();
    expect(transition(s, { type: 'stop', force: false }, ctx)).toBeNull();
  });

  it('an ended service can be started again; a running one cannot', () => {
    expect(transition({ kind: 'stopped', exit: null }, { type: 'start' }, ctx)?.kind).toBe(
      'spawning',
    );
    expect(
      transition({ kind: 'completed', exit: { code: 0, signal: null } }, { type: 'start' }, ctx)
        ?.kind,
    ).toBe('spawning');
    expect(transition({ kind: 'ready', run: r }, { type: 'start' }, ctx)).toBeNull();
  });
});
