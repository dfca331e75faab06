/**
 * One service's lifecycle as a state machine. Pure: `transition` says what state an input
 * leads to; the runner (service-runner.ts) does what entering each state means (spawn, probe,
 * sweep, wait, stop) and feeds the outcomes back as inputs.
 *
 *                     start (pending, stopped, failed, completed: restart / up SERVICE)
 *   pending ───────────────────────────────▶ spawning ──spawn-failed──▶ failed
 *      │                                       │   │
 *      │                                  stop │   │ spawned
 *      │                                       ▼   ▼
 *      │                    stop-requested-while-spawning     starting ──ready──▶ ready
 *      │                     │ spawned        │ spawn-failed    │  │ not-ready      │
 *      │                     ▼                ▼                 │  ▼                │
 *      │                  stopping ──gone──▶ stopped           │ failed (process   │
 *      │                     ▲                 ▲                │  still running)   │
 *      │    stop (starting, ready, exiting,    │                │                   │
 *      │    failed with a live process) ───────┘ stop           ▼ exited            ▼ exited
 *      └───────────────────────────────────────────────────▶ exiting (sweeping its tree)
 *                                                  swept: │ restart ─▶ backoff ─waited─▶ spawning
 *                                                         │ code 0  ─▶ completed
 *                                                         │ else    ─▶ failed
 *   backoff ──stop──▶ stopped
 *   exiting ──daemonized──▶ starting, or ready if it was (exit 0 left a daemon holding the
 *                           service's port: the daemon is the service's process from then on)
 *
 * A stop forced (second Ctrl+C) goes to `stopping` with `force`; a service already stopping
 * gracefully is escalated to a forced stop (stopping → stopping, force).
 * Each state carries only what is true in it: a process only while one runs (or its tree is
 * being taken down), an exit only once there was one.
 */
import { assertNever } from '../errors.js';
import type { RestartPolicy } from '../manifest/types.js';
import type { SpawnedService } from '../process/index.js';
import type { ServiceState } from '../state/index.js';
import { restartDecision } from './restart-policy.js';

export interface Exit {
  code: number | null;
  signal: string | null;
}

/** A spawned process of the service. */
export interface Run {
  proc: SpawnedService;
  /** ISO 8601. */
  startedAt: string;
}

export type Lifecycle =
  | { kind: 'pending' }
  | { kind: 'spawning' }
  | { kind: 'stop-requested-while-spawning'; force: boolean }
  | { kind: 'starting'; run: Run }
  | { kind: 'ready'; run: Run }
  /** The process exited by itself; its tree (grandchildren) is being swept before judging. */
  | { kind: 'exiting'; run: Run; exit: Exit }
  | { kind: 'backoff'; exit: Exit; attempt: number; delayMs: number }
  /** `exit`: null while the process still runs. `becomes`: the state once the tree is gone. */
  | {
      kind: 'stopping';
      run: Run;
      exit: Exit | null;
      force: boolean;
      becomes: 'stopped' | 'failed';
      reason: string | null;
    }
  | { kind: 'completed'; exit: Exit }
  /** `run`: the process still runs (it failed its readiness check); a stop takes it down. */
  | { kind: 'failed'; reason: string; exit: Exit | null; run: Run | null }
  | { kind: 'stopped'; exit: Exit | null };

export type LifecycleInput =
  | { type: 'start' }
  | { type: 'spawned'; run: Run }
  | { type: 'spawn-failed'; reason: string }
  | { type: 'ready'; proc: SpawnedService; elapsedMs: number }
  | { type: 'not-ready'; proc: SpawnedService; reason: string }
  | { type: 'exited'; proc: SpawnedService; exit: Exit }
  | { type: 'swept'; proc: SpawnedService }
  /**
   * `proc` exited 0 leaving a daemon on the service's port; `run` follows that daemon. `ready`:
   * the service was ready when it exited (the daemon already answered), so it stays ready.
   */
  | { type: 'daemonized'; proc: SpawnedService; run: Run; ready: boolean }
  | { type: 'backoff-over' }
  | { type: 'stop'; force: boolean }
  | { type: 'gone'; proc: SpawnedService; forced: boolean; elapsedMs: number };

/** What the transition needs to know besides the state: the restart policy and its count. */
export interface LifecycleContext {
  policy: RestartPolicy;
  maxRestarts: number;
  /** Restarts already made by the restart policy. */
  restarts: number;
  describeExit: (code: number | null, signal: string | null) => string;
}

/** The state `input` leads to, or null when the input means nothing in `state` (ignored). */
export function transition(
  state: Lifecycle,
  input: LifecycleInput,
  ctx: LifecycleContext,
): Lifecycle | null {
  switch (input.type) {
    case 'start':
      return canStart(state) ? { kind: 'spawning' } : null;
    case 'spawned':
      if (state.kind === 'spawning') return { kind: 'starting', run: input.run };
      if (state.kind === 'stop-requested-while-spawning')
        return stopping(input.run, null, state.force);
      return null;
    case 'spawn-failed':
      if (state.kind === 'spawning')
        return { kind: 'failed', reason: input.reason, exit: null, run: null };
      if (state.kind === 'stop-requested-while-spawning') return { kind: 'stopped', exit: null };
      return null;
    case 'ready':
      return state.kind === 'starting' && state.run.proc === input.proc
        ? { kind: 'ready', run: state.run }
        : null;
    case 'not-ready':
      return state.kind === 'starting' && state.run.proc === input.proc
        ? { kind: 'failed', reason: input.reason, exit: null, run: state.run }
        : null;
    case 'exited':
      return exited(state, input.proc, input.exit);
    case 'swept':
      return state.kind === 'exiting' && state.run.proc === input.proc
        ? judge(state.exit, ctx)
        : null;
    case 'daemonized':
      return state.kind === 'exiting' && state.run.proc === input.proc
        ? { kind: input.ready ? 'ready' : 'starting', run: input.run }
        : null;
    case 'backoff-over':
      return state.kind === 'backoff' ? { kind: 'spawning' } : null;
    case 'stop':
      return stop(state, input.force);
    case 'gone':
      if (state.kind !== 'stopping' || state.run.proc !== input.proc) return null;
      if (state.becomes === 'failed')
        return { kind: 'failed', reason: state.reason ?? '', exit: state.exit, run: null };
      return { kind: 'stopped', exit: state.exit };
    default:
      return assertNever(input);
  }
}

function canStart(state: Lifecycle): boolean {
  switch (state.kind) {
    case 'pending':
    case 'stopped':
    case 'completed':
      return true;
    case 'failed':
      return state.run === null;
    case 'spawning':
    case 'stop-requested-while-spawning':
    case 'starting':
    case 'ready':
    case 'exiting':
    case 'backoff':
    case 'stopping':
      return false;
    default:
      return assertNever(state);
  }
}

function exited(state: Lifecycle, proc: SpawnedService, exit: Exit): Lifecycle | null {
  switch (state.kind) {
    case 'starting':
    case 'ready':
      return state.run.proc === proc ? { kind: 'exiting', run: state.run, exit } : null;
    case 'stopping':
      return state.run.proc === proc ? { ...state, exit } : null;
    case 'failed':
      return state.run?.proc === proc ? { ...state, exit } : null;
    default:
      return null; // a process of an earlier run
  }
}

/** The process exited by itself and its tree is gone: restart, completed, or failed. */
function judge(exit: Exit, ctx: LifecycleContext): Lifecycle {
  const decision = restartDecision({
    code: exit.code,
    policy: ctx.policy,
    restarts: ctx.restarts,
    maxRestarts: ctx.maxRestarts,
  });
  if (decision.restart)
    return { kind: 'backoff', exit, attempt: ctx.restarts + 1, delayMs: decision.delayMs };
  if (exit.code === 0) return { kind: 'completed', exit };
  return { kind: 'failed', reason: ctx.describeExit(exit.code, exit.signal), exit, run: null };
}

function stopping(run: Run, exit: Exit | null, force: boolean): Lifecycle {
  return { kind: 'stopping', run, exit, force, becomes: 'stopped', reason: null };
}

function stop(state: Lifecycle, force: boolean): Lifecycle | null {
  switch (state.kind) {
    case 'pending':
    case 'backoff':
      return { kind: 'stopped', exit: state.kind === 'backoff' ? state.exit : null };
    case 'spawning':
      return { kind: 'stop-requested-while-spawning', force };
    case 'stop-requested-while-spawning':
      return force && !state.force ? { ...state, force } : null;
    case 'starting':
    case 'ready':
      return stopping(state.run, null, force);
    case 'exiting':
      return stopping(state.run, state.exit, force);
    case 'stopping':
      return force && !state.force ? { ...state, force } : null;
    case 'failed':
      if (state.run === null) return null;
      return {
        kind: 'stopping',
        run: state.run,
        exit: state.exit,
        force,
        becomes: 'failed',
        reason: state.reason,
      };
    case 'completed':
    case 'stopped':
      return null;
    default:
      return assertNever(state);
  }
}

/** The contract's `status` state of a lifecycle state. */
export function publicState(state: Lifecycle): ServiceState {
  switch (state.kind) {
    case 'pending':
    case 'completed':
    case 'failed':
    case 'stopped':
    case 'starting':
    case 'ready':
    case 'stopping':
      return state.kind;
    case 'spawning':
    case 'backoff':
      return 'starting';
    case 'stop-requested-while-spawning':
    case 'exiting':
      return 'stopping';
    default:
      return assertNever(state);
  }
}

/** The process of the state, while there is one (running, or its tree being taken down). */
export function runOf(state: Lifecycle): Run | null {
  return 'run' in state ? state.run : null;
}

/** The last exit of the state, once there was one. */
export function exitOf(state: Lifecycle): Exit | null {
  return 'exit' in state ? state.exit : null;
}

/** Runs nothing and waits for nothing any more: where a stop ends. */
export function isSettled(state: Lifecycle): boolean {
  return (
    state.kind === 'stopped' ||
    state.kind === 'completed' ||
    (state.kind === 'failed' && state.run === null)
  );
}

/** Ended (completed, failed or stopped): it will not become ready unless started again. */
export function hasEnded(state: Lifecycle): boolean {
  return state.kind === 'stopped' || state.kind === 'completed' || state.kind === 'failed';
}
