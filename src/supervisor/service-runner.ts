/**
 * One service's life, driven by the state machine of lifecycle.ts: the runner feeds it inputs
 * (a spawn finished, the readiness check passed, the process exited, a stop was asked for) and
 * does what entering each state means — spawn, wait for readiness, sweep a dead process's
 * tree, wait out a restart's backoff, stop the tree — reporting every step as an event.
 */
import { assertNever } from '../errors.js';
import type { SpawnedService } from '../process/index.js';
import type { ServiceState } from '../state/index.js';
import {
  type Exit,
  hasEnded,
  isSettled,
  type Lifecycle,
  type LifecycleInput,
  runOf,
  transition,
} from './lifecycle.js';
import { Milestone } from './milestone.js';
import { RunnerView } from './runner-view.js';

/** How long a service that exited 0 while starting is given for a daemon to take its port. */
export const DAEMON_WAIT_MS = 2000;

import { OVER, sleep } from './readiness.js';
import {
  adoptDaemon,
  awaitReadiness,
  daemonOf,
  spawnService,
  stopTarget,
  sweepTree,
  takeDownTree,
} from './service-process.js';
import type { Daemon, RunnerDeps, ServiceSnapshot, ServiceSpec } from './service-spec.js';

/** The states of the contract's `status` (lifecycle.ts maps the machine's states onto them). */
export type { RunnerDeps, ServiceSnapshot, ServiceSpec, ServiceState };

export class ServiceRunner extends RunnerView {
  /** Restarts the policy made since the service was last started on request: its budget. */
  private policyRestarts = 0;
  /** Milestones of the current run; a service started again (restart, up SERVICE) gets new ones. */
  started = new Milestone();
  ready = new Milestone();
  completed = new Milestone();

  /** Aborted whenever the state changes kind: ends the readiness wait or backoff of the old one. */
  private phase = new AbortController();
  private readonly queue: LifecycleInput[] = [];
  private dispatching = false;
  private readonly listeners = new Set<(state: Lifecycle, previous: Lifecycle) => void>();

  constructor(
    spec: ServiceSpec,
    private readonly deps: RunnerDeps,
  ) {
    super(spec);
  }

  /** Called after every transition, with the new and the previous state. Returns an unsubscribe. */
  onChange(listener: (state: Lifecycle, previous: Lifecycle) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Spawns the service (from pending, or again once it has ended). The restart policy gets its
   * full budget again. `restarts` (status's RESTARTS) counts only the policy's restarts, as
   * `max_restarts` does and as docker's RestartCount does: a `devlaunch restart` asked for by the
   * user shows as a new pid and uptime, not as a restart. Resolves once it is past starting:
   * ready, failed, stopping, or ended.
   */
  async start(): Promise<void> {
    if (this.current.kind === 'pending' || hasEnded(this.current)) this.policyRestarts = 0;
    this.dispatch({ type: 'start' });
    await this.until(
      (s) =>
        s.kind !== 'spawning' &&
        s.kind !== 'starting' &&
        s.kind !== 'stop-requested-while-spawning',
    );
  }

  /**
   * Stops the whole tree (stop_signal, then SIGKILL after stop_timeout; `force`: SIGKILL now,
   * also for a stop already under way). Resolves once nothing of it runs. Safe to call twice.
   */
  async stop(force = false): Promise<void> {
    this.dispatch({ type: 'stop', force });
    await this.until(isSettled);
  }

  /** Resolves, with that state, once `predicate` holds for the state. */
  until(predicate: (state: Lifecycle) => boolean): Promise<Lifecycle> {
    if (predicate(this.lifecycle)) return Promise.resolve(this.lifecycle);
    return new Promise((resolve) => {
      const off = this.onChange((state) => {
        if (!predicate(state)) return;
        off();
        resolve(state);
      });
    });
  }

  /** Feeds an input to the machine; inputs that arrive while one is handled wait their turn. */
  private dispatch(input: LifecycleInput): void {
    this.queue.push(input);
    if (this.dispatching) return;
    this.dispatching = true;
    try {
      for (let next = this.queue.shift(); next !== undefined; next = this.queue.shift()) {
        this.apply(next);
      }
    } finally {
      this.dispatching = false;
    }
  }

  private apply(input: LifecycleInput): void {
    const previous = this.lifecycle;
    const next = transition(previous, input, {
      policy: this.spec.config.restart,
      maxRestarts: this.spec.config.max_restarts,
      restarts: this.policyRestarts,
      describeExit: this.deps.describeExit,
    });
    if (next === null) return;
    this.lifecycle = next;
    this.lastStartedAt = runOf(next)?.startedAt ?? this.lastStartedAt;
    if (next.kind === 'failed') this.lastExit = next.reason;
    else if (next.kind === 'completed' || next.kind === 'exiting' || next.kind === 'stopped') {
      if (next.exit) this.lastExit = this.deps.describeExit(next.exit.code, next.exit.signal);
    }
    if (next.kind !== previous.kind) {
      this.phase.abort(OVER);
      this.phase = new AbortController();
    }
    this.enter(next, previous, input);
    this.deps.changed();
    for (const listener of [...this.listeners]) listener(next, previous);
  }

  /** What entering `state` means. */
  private enter(state: Lifecycle, previous: Lifecycle, input: LifecycleInput): void {
    switch (state.kind) {
      case 'pending':
      case 'stop-requested-while-spawning':
        return;
      case 'spawning':
        if (previous.kind === 'backoff') {
          this.restarts += 1;
          this.policyRestarts += 1;
          this.deps.output.markRestart(this.name);
        } else if (hasEnded(previous)) {
          this.started = new Milestone();
          this.ready = new Milestone();
          this.completed = new Milestone();
        }
        void this.spawn();
        return;
      case 'starting':
        void awaitReadiness(this.spec, this.deps, state.run.proc, this.phase.signal).then(
          (next) => next && this.dispatch(next),
        );
        return;
      case 'ready':
        if (input.type === 'daemonized') return; // it was ready already, now as its daemon
        this.deps.emit({
          type: 'service-ready',
          service: this.name,
          elapsedMs: input.type === 'ready' ? input.elapsedMs : 0,
        });
        this.ready.resolve(true);
        return;
      case 'exiting': {
        const { proc } = state.run;
        const wasReady = previous.kind === 'ready';
        const waitMs = wasReady ? 0 : DAEMON_WAIT_MS;
        void daemonOf(this.spec, this.deps, state.exit, proc, {
          waitMs,
          signal: this.phase.signal,
        }).then((daemon) => {
          if (daemon !== null) this.follow(proc, daemon, wasReady);
          else
            void sweepTree(this.spec, this.deps, proc).then(() =>
              this.dispatch({ type: 'swept', proc }),
            );
        });
        return;
      }
      case 'backoff':
        this.backoff(state.exit, state.attempt, state.delayMs);
        return;
      case 'stopping': {
        const { proc } = state.run;
        if (previous.kind !== 'stopping') {
          void takeDownTree(this.spec, this.deps, proc, state.exit, state.force).then((r) =>
            this.dispatch({ type: 'gone', proc, ...r }),
          );
        } else if (state.force && !previous.force) {
          void this.deps.killTreeNow(stopTarget(this.spec, proc));
        }
        return;
      }
      case 'completed':
        this.deps.emit({ type: 'service-completed', service: this.name });
        this.completed.resolve(true);
        this.settleMilestones();
        return;
      case 'failed':
        this.settleMilestones();
        if (previous.kind === 'stopping') return; // it had failed already, then was stopped
        this.deps.emit({
          type: 'service-failed',
          service: this.name,
          reason: state.reason,
          lastLines: this.deps.output.lastLines(this.name),
        });
        this.deps.failed(this.name, state.reason);
        return;
      case 'stopped':
        this.settleMilestones();
        return;
      default:
        assertNever(state);
    }
  }

  private async spawn(): Promise<void> {
    let proc: SpawnedService;
    try {
      proc = await spawnService(this.spec, this.deps);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.dispatch({ type: 'spawn-failed', reason });
      return;
    }
    this.started.resolve(true);
    void proc.exit.then((exit) => this.dispatch({ type: 'exited', proc, exit }));
    this.dispatch({ type: 'spawned', run: { proc, startedAt: new Date().toISOString() } });
  }

  /** From now on the daemon is the service's process: watched, waited on, stopped with it. */
  private follow(exited: SpawnedService, daemon: Daemon, ready: boolean): void {
    const { proc } = daemon;
    adoptDaemon(this.spec, this.deps, exited, daemon);
    void proc.exit.then((exit) => this.dispatch({ type: 'exited', proc, exit }));
    const run = { proc, startedAt: new Date().toISOString() };
    this.dispatch({ type: 'daemonized', proc: exited, run, ready });
  }

  private backoff(exit: Exit, attempt: number, delayMs: number): void {
    this.deps.emit({
      type: 'service-restarting',
      service: this.name,
      attempt,
      delayMs,
      exitCode: exit.code,
      signal: exit.signal,
    });
    const signal = this.phase.signal;
    void (this.deps.sleep ?? sleep)(delayMs, signal).then(() => {
      if (!signal.aborted) this.dispatch({ type: 'backoff-over' });
    });
  }

  /** Whatever has not been reached can no longer be, until the service starts again. */
  private settleMilestones(): void {
    this.started.resolve(false);
    this.ready.resolve(false);
    this.completed.resolve(false);
  }
}
