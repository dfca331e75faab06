/**
 * Runs a session: starts each service once what it depends on has reached the required
 * condition (independent services start in parallel), reports when everything is ready, and
 * stops everything in reverse dependency order when asked, on a signal, or when a service fails.
 */
import { ExitCode } from '../errors.js';
import type { DependencyCondition } from '../manifest/types.js';
import type { EventSink, ReadyRow, StopReason } from '../output/events.js';
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

  /** `runners` in start order (every service after what it depends on). */
  constructor(
    private readonly runners: ServiceRunner[],
    private readonly emit: EventSink,
  ) {
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
    const endedByItself = () => {
      // Every service ended by itself (completed tasks only): the session is over.
      if (this.reason === null && this.runners.every((r) => r.ended)) {
        this.requestStop({ kind: 'finished' });
      }
    };
    for (const runner of this.runners) runner.onChange(endedByItself);
    endedByItself();
    return this.done;
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
