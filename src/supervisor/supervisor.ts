/**
 * Runs a session: starts each service once what it depends on has reached the required
 * condition (independent services start in parallel), reports when everything is ready, and
 * stops everything in reverse dependency order when asked, on a signal, or when a service fails.
 */
import { ExitCode } from '../errors.js';
import type { DependencyCondition } from '../manifest/types.js';
import type { EventSink, ReadyRow, StopReason, SupervisorEvent } from './events.js';
import { Milestone } from './milestone.js';
import type { ServiceRunner } from './service-runner.js';
import { exitCodeOf } from './signals.js';

export interface SessionResult {
  exitCode: number;
  reason: StopReason;
}

export class Supervisor {
  /** Settles true when every service is ready (or completed), false if the session stops first. */
  readonly allReady = new Milestone();
  private reason: StopReason | null = null;
  /** The grace has been skipped (second Ctrl+C): further requests change nothing. */
  private forced = false;
  private readonly done: Promise<SessionResult>;
  private finish!: (result: SessionResult) => void;
  private readonly begun = performance.now();

  private readonly listeners = new Set<EventSink>();
  /** Restarts in progress: the session does not end while one is between stop and start. */
  private changing = 0;
  private readonly emit: EventSink;

  /** `runners` in start order (every service after what it depends on). */
  constructor(
    private readonly runners: ServiceRunner[],
    emit: EventSink,
  ) {
    this.emit = (event) => {
      emit(event);
      this.notify(event);
    };
    this.done = new Promise((resolve) => {
      this.finish = resolve;
    });
  }

  get services(): readonly ServiceRunner[] {
    return this.runners;
  }

  /** Starts everything; resolves when the session has ended and every process is gone. */
  run(): Promise<SessionResult> {
    const starts = this.runners.map((runner) => this.startWhenDependenciesAllow(runner));
    void Promise.all(starts).then(() => this.reportReadyWhenSettled());
    for (const runner of this.runners) runner.onChange(() => this.finishIfAllEnded());
    this.finishIfAllEnded();
    return this.done;
  }

  /** Every service ended by itself (completed tasks only): the session is over. */
  private finishIfAllEnded(): void {
    if (this.reason === null && this.changing === 0 && this.runners.every((r) => r.ended)) {
      this.requestStop({ kind: 'finished' });
    }
  }

  /** Every event the supervisor reports, for the control channel and the dashboard. */
  subscribe(listener: EventSink): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Tells every subscriber (runners' events reach the reporter directly, then come here). */
  notify(event: SupervisorEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  /** The runner of each service, in start order. */
  snapshot(): readonly ServiceRunner[] {
    return [...this.runners];
  }

  /**
   * `restart NAME...`: stops each (dependents first) and starts it again on the same ports, in
   * dependency order. Resolves once each is ready again, or has failed.
   */
  async restart(names: readonly string[]): Promise<void> {
    if (this.reason !== null) return;
    // Between the stop and the start every service may have ended: that is not the end.
    this.changing += 1;
    try {
      await this.stop(names);
      await this.start(names);
    } finally {
      this.changing -= 1;
      this.finishIfAllEnded();
    }
  }

  /**
   * `up NAME...` into the running session: starts those of `names` that have ended (the caller
   * includes what they need), each once what it depends on allows. Running ones are left
   * alone. Resolves once each is ready, completed or failed.
   */
  async start(names: readonly string[]): Promise<void> {
    if (this.reason !== null) return;
    const targets = this.runners.filter((r) => names.includes(r.name) && r.ended);
    const started = new Map<string, Promise<void>>();
    for (const runner of targets) {
      started.set(
        runner.name,
        (async () => {
          for (const [dep, condition] of Object.entries(runner.spec.config.depends_on)) {
            // A dependency started again here has new milestones once it is past starting.
            await started.get(dep);
            const other = this.runners.find((r) => r.name === dep);
            if (other !== undefined && !(await milestoneOf(other, condition).reached)) return;
          }
          if (this.reason === null) await runner.start();
        })(),
      );
    }
    await Promise.all(started.values());
  }

  /** `down NAME...`: see stopServices. */
  stop(names: readonly string[]): Promise<void> {
    return this.stopServices(names);
  }

  /** The first reason wins; a later request (e.g. a second Ctrl+C) only forces. */
  requestStop(reason: StopReason, force = false): void {
    if (this.reason !== null) {
      if (force && !this.forced) {
        this.forced = true;
        this.emit({ type: 'stopping', reason: this.reason, graceful: false });
        for (const runner of this.runners) void runner.stop(true);
      }
      return;
    }
    this.forced = force;
    this.reason = reason;
    this.allReady.resolve(false);
    this.emit({ type: 'stopping', reason, graceful: !force });
    const begun = performance.now();
    void stopInReverseOrder(this.runners, force).then(() => {
      this.emit({ type: 'stopped', elapsedMs: performance.now() - begun });
      this.finish({ exitCode: exitCodeFor(reason, this.runners), reason });
    });
  }

  /**
   * `down SERVICE`: stops those services (the caller includes their dependents) in reverse
   * dependency order. The session lives on while any other service runs.
   */
  async stopServices(names: readonly string[]): Promise<void> {
    if (this.reason !== null) return;
    await stopInReverseOrder(
      this.runners.filter((r) => names.includes(r.name)),
      false,
    );
  }

  /** Called by a runner that failed for good. */
  serviceFailed(service: string): void {
    this.requestStop({ kind: 'failure', service });
  }

  private async startWhenDependenciesAllow(runner: ServiceRunner): Promise<void> {
    for (const [dep, condition] of Object.entries(runner.spec.config.depends_on)) {
      const other = this.runners.find((r) => r.name === dep);
      if (other === undefined) continue; // not part of this session (validated earlier)
      const reached = await milestoneOf(other, condition).reached;
      if (!reached) {
        if (this.reason === null) {
          this.emit({
            type: 'service-failed',
            service: runner.name,
            reason: `${dep} ended before it was ${condition}, and ${runner.name} depends on it being ${condition}`,
            lastLines: [],
          });
          this.requestStop({ kind: 'failure', service: runner.name });
        }
        await runner.stop();
        return;
      }
    }
    if (this.reason !== null) {
      await runner.stop();
      return;
    }
    // Stopped meanwhile (down SERVICE while it waited for its dependencies): stays stopped.
    if (runner.current.kind !== 'pending') return;
    await runner.start();
  }

  private reportReadyWhenSettled(): void {
    if (this.reason !== null) return;
    void Promise.all(this.runners.map((r) => (r.state === 'ready' ? true : r.ready.reached))).then(
      () => {
        if (this.reason !== null) return;
        const rows: ReadyRow[] = this.runners.map((r) => ({
          service: r.name,
          url: r.spec.url,
          pid: r.pid,
          ports: r.spec.ports,
          state: r.state === 'completed' ? 'completed' : r.state === 'ready' ? 'ready' : 'running',
        }));
        this.emit({ type: 'all-ready', rows, elapsedMs: performance.now() - this.begun });
        this.allReady.resolve(true);
      },
    );
  }
}

/** Dependents stop before what they depend on; independent services stop in parallel. */
function stopInReverseOrder(runners: readonly ServiceRunner[], force: boolean): Promise<void> {
  const stops = new Map<string, Promise<void>>();
  const stopOne = (runner: ServiceRunner): Promise<void> => {
    const existing = stops.get(runner.name);
    if (existing) return existing;
    const dependents = runners.filter((r) => runner.name in r.spec.config.depends_on);
    const promise = Promise.all(dependents.map(stopOne)).then(() => runner.stop(force));
    stops.set(runner.name, promise);
    return promise;
  };
  return Promise.all(runners.map(stopOne)).then(() => undefined);
}

function milestoneOf(runner: ServiceRunner, condition: DependencyCondition) {
  switch (condition) {
    case 'started':
      return runner.started;
    case 'ready':
      return runner.ready;
    case 'completed':
      return runner.completed;
  }
}

function exitCodeFor(reason: StopReason, runners: ServiceRunner[]): number {
  switch (reason.kind) {
    case 'signal':
      return exitCodeOf(reason.signal);
    case 'failure':
      return ExitCode.serviceFailed;
    case 'down':
      return ExitCode.ok;
    case 'command-exited':
    case 'finished':
      return runners.some((r) => r.state === 'failed') ? ExitCode.serviceFailed : ExitCode.ok;
  }
}
