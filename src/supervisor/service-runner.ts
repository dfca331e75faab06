/**
 * One service's life, driven by the state machine of lifecycle.ts: the runner feeds it inputs
 * (a spawn finished, the readiness check passed, the process exited, a stop was asked for) and
 * does what entering each state means — spawn, wait for readiness, sweep a dead process's
 * tree, wait out a restart's backoff, stop the tree — reporting every step as an event.
 */
import { assertNever } from '../errors.js';
import type { SpawnedService, StopTarget } from '../process/index.js';
import type { ServiceState } from '../state/index.js';
import {
  type Exit,
  exitOf,
  hasEnded,
  isSettled,
  type Lifecycle,
  type LifecycleInput,
  publicState,
  type Run,
  runOf,
  transition,
} from './lifecycle.js';
import { Milestone } from './milestone.js';
import { describeCheck, formatMs, sleep, waitReady } from './readiness.js';
import { runReadyCommand } from './ready-command.js';
import type { RunnerDeps, ServiceSpec } from './service-spec.js';

/** The states of the contract's `status` (lifecycle.ts maps the machine's states onto them). */
export type { RunnerDeps, ServiceSpec, ServiceState };

export class ServiceRunner {
  restarts = 0;
  /** Milestones of the current run; a service started again (restart, up SERVICE) gets new ones. */
  started = new Milestone();
  ready = new Milestone();
  completed = new Milestone();

  private lifecycle: Lifecycle = { kind: 'pending' };
  /** Aborted whenever the state changes kind: ends the readiness wait or backoff of the old one. */
  private phase = new AbortController();
  private readonly queue: LifecycleInput[] = [];
  private dispatching = false;
  private readonly listeners = new Set<(state: Lifecycle, previous: Lifecycle) => void>();

  constructor(
    readonly spec: ServiceSpec,
    private readonly deps: RunnerDeps,
  ) {}

  get name(): string {
    return this.spec.name;
  }

  /** The machine's state (lifecycle.ts). */
  get current(): Lifecycle {
    return this.lifecycle;
  }

  get state(): ServiceState {
    return publicState(this.lifecycle);
  }

  get pid(): number | null {
    return runOf(this.lifecycle)?.proc.pid ?? null;
  }

  get pgid(): number | null {
    return runOf(this.lifecycle)?.proc.pgid ?? null;
  }

  get startTime(): string | null {
    return runOf(this.lifecycle)?.proc.startTime ?? null;
  }

  get startedAt(): string | null {
    return runOf(this.lifecycle)?.startedAt ?? null;
  }

  get exitCode(): number | null {
    return exitOf(this.lifecycle)?.code ?? null;
  }

  /** Ended (completed, failed or stopped). */
  get ended(): boolean {
    return hasEnded(this.lifecycle);
  }

  /** Called after every transition, with the new and the previous state. Returns an unsubscribe. */
  onChange(listener: (state: Lifecycle, previous: Lifecycle) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Spawns the service (from pending, or again once it has ended). Resolves once it is past
   * starting: ready, failed, stopping, or ended.
   */
  start(): Promise<void> {
    this.dispatch({ type: 'start' });
    return this.until(
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
  stop(force = false): Promise<void> {
    this.dispatch({ type: 'stop', force });
    return this.until(isSettled);
  }

  /** Resolves once `predicate` holds for the state. */
  until(predicate: (state: Lifecycle) => boolean): Promise<void> {
    if (predicate(this.lifecycle)) return Promise.resolve();
    return new Promise((resolve) => {
      const off = this.onChange((state) => {
        if (!predicate(state)) return;
        off();
        resolve();
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
      restarts: this.restarts,
      describeExit: this.deps.describeExit,
    });
    if (next === null) return;
    this.lifecycle = next;
    if (next.kind !== previous.kind) {
      this.phase.abort();
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
          this.deps.output.markRestart(this.name);
        } else if (hasEnded(previous)) {
          this.started = new Milestone();
          this.ready = new Milestone();
          this.completed = new Milestone();
        }
        void this.spawn();
        return;
      case 'starting':
        void this.awaitReadiness(state.run.proc, this.phase.signal);
        return;
      case 'ready':
        this.deps.emit({
          type: 'service-ready',
          service: this.name,
          elapsedMs: input.type === 'ready' ? input.elapsedMs : 0,
        });
        this.ready.resolve(true);
        return;
      case 'exiting':
        void this.sweep(state.run.proc);
        return;
      case 'backoff':
        this.backoff(state.exit, state.attempt, state.delayMs);
        return;
      case 'stopping':
        if (previous.kind !== 'stopping')
          void this.takeDown(state.run.proc, state.exit, state.force);
        else if (state.force && !previous.force)
          void this.deps.killTreeNow(this.target(state.run.proc));
        return;
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
      proc = await this.deps.spawn({
        name: this.name,
        command: this.spec.command,
        cwd: this.spec.config.cwd,
        env: this.spec.env,
      });
    } catch (error) {
      this.dispatch({
        type: 'spawn-failed',
        reason: error instanceof Error ? error.message : String(error),
      });
      return;
    }
    this.deps.output.attach(this.name, proc.stdout, 'stdout');
    this.deps.output.attach(this.name, proc.stderr, 'stderr');
    this.deps.watchdog?.watch({
      pid: proc.pid,
      pgid: proc.pgid,
      startTime: proc.startTime,
      signal: this.spec.config.stop_signal,
      timeoutMs: this.spec.config.stop_timeout,
      session: this.spec.session,
    });
    this.deps.emit({
      type: 'service-starting',
      service: this.name,
      command: Array.isArray(this.spec.command) ? this.spec.command.join(' ') : this.spec.command,
      pid: proc.pid,
    });
    this.started.resolve(true);
    void proc.exit.then((exit) => this.dispatch({ type: 'exited', proc, exit }));
    const run: Run = { proc, startedAt: new Date().toISOString() };
    this.dispatch({ type: 'spawned', run });
  }

  private async awaitReadiness(proc: SpawnedService, signal: AbortSignal): Promise<void> {
    const check = this.spec.config.ready;
    if (check === null) {
      this.dispatch({ type: 'ready', proc, elapsedMs: 0 });
      return;
    }
    const port = this.spec.ports.primary ?? Object.values(this.spec.ports)[0] ?? null;
    const outcome = await (this.deps.waitReady ?? waitReady)(check, {
      host: this.spec.config.host,
      port,
      onLine: (listener) => this.deps.output.onLine(this.name, listener),
      runCheck: (command, checkSignal) =>
        runReadyCommand(this.spec, this.deps, command, checkSignal),
      exited: proc.exit,
      signal,
      onWaiting: (elapsedMs, last) =>
        this.deps.emit({
          type: 'service-waiting',
          service: this.name,
          check: describeCheck(check, port),
          elapsedMs,
          last,
        }),
    });
    if (outcome.ok) this.dispatch({ type: 'ready', proc, elapsedMs: outcome.elapsedMs });
    else if (outcome.reason === 'timeout') {
      const last = outcome.last ? `; last: ${outcome.last}` : '';
      const reason = `not ready after ${formatMs(check.timeout)} (${describeCheck(check, port)}${last})`;
      this.dispatch({ type: 'not-ready', proc, reason });
    }
    // 'exited' comes as its own input, 'aborted' means the state has moved on.
  }

  /**
   * The direct child is gone, but a grandchild may still hold the port (or the output pipes):
   * sweep its tree, then let the last output arrive before judging the exit.
   */
  private async sweep(proc: SpawnedService): Promise<void> {
    await this.deps.stopTree(this.target(proc), {
      signal: this.spec.config.stop_signal,
      timeoutMs: this.spec.config.stop_timeout,
    });
    await proc.exited;
    this.deps.watchdog?.unwatch(proc.pid);
    this.dispatch({ type: 'swept', proc });
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

  /** Stops the tree of `proc`; `exit` non-null: the process itself is gone already. */
  private async takeDown(proc: SpawnedService, exit: Exit | null, force: boolean): Promise<void> {
    const begun = performance.now();
    if (exit !== null) {
      await this.deps.stopTree(this.target(proc), { signal: 'SIGKILL', timeoutMs: 0, force: true });
      this.dispatch({ type: 'gone', proc, forced: false, elapsedMs: performance.now() - begun });
      return;
    }
    const { forced } = await this.deps.stopTree(this.target(proc), {
      signal: this.spec.config.stop_signal,
      timeoutMs: this.spec.config.stop_timeout,
      force,
    });
    await proc.exited;
    this.deps.watchdog?.unwatch(proc.pid);
    const elapsedMs = performance.now() - begun;
    this.deps.emit({ type: 'service-stopped', service: this.name, forced, elapsedMs });
    this.dispatch({ type: 'gone', proc, forced, elapsedMs });
  }

  private target(proc: SpawnedService): StopTarget {
    // `service` limits the session-mark sweep to this service's own processes.
    return {
      pid: proc.pid,
      pgid: proc.pgid,
      startTime: proc.startTime,
      session: this.spec.session,
      service: this.name,
    };
  }

  /** Whatever has not been reached can no longer be, until the service starts again. */
  private settleMilestones(): void {
    this.started.resolve(false);
    this.ready.resolve(false);
    this.completed.resolve(false);
  }
}
