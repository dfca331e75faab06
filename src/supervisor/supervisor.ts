/**
 * Runs a session: starts each service once what it depends on has reached the required
 * condition (independent services start in parallel), reports when everything is ready, and
 * stops everything in reverse dependency order when asked or on a signal.
 *
 * A service that fails during start-up (before everything is ready) stops the session. One that
 * fails after start-up is reported and the others keep running (unless `exitOnFailure`); the
 * session ends by itself once nothing is left running.
 *
 * While it runs, single services can be restarted, started and stopped (`restart`, `start`,
 * `stop`: the control channel and the dashboard use them), each a transition of the service's
 * state machine; `snapshot` and `subscribe` show what happens.
 */
import { DevlaunchError } from '../errors.js';
import type { EventBus, EventSink, ReadyRow, StopReason } from '../output/events.js';
import { Milestone } from './milestone.js';
import { milestoneOf, stopInReverseOrder, withDependents } from './service-graph.js';
import type { ServiceRunner, ServiceSnapshot } from './service-runner.js';
import { exitCodeFor } from './signals.js';
import { startWithDependencies } from './start-with-dependencies.js';

export interface SessionResult {
  exitCode: number;
  reason: StopReason;
}

export interface SupervisorOptions {
  /** A failure after start-up stops the session too (`--exit-on-failure`, and `run`). */
  exitOnFailure?: boolean;
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
  /** Single-service operations under way: the session does not end by itself meanwhile. */
  private operations = 0;
  private readonly emit: EventSink;

  /** `runners` in start order (every service after what it depends on), emitting to `events`. */
  constructor(
    private readonly runners: ServiceRunner[],
    private readonly events: EventBus,
    private readonly options: SupervisorOptions = {},
  ) {
    this.emit = events.emit;
    this.done = new Promise((resolve) => {
      this.finish = resolve;
    });
  }

  get services(): readonly ServiceRunner[] {
    return this.runners;
  }

  /**
   * Services joining the session (`up SERVICE`), pending until start(). The list stays in start
   * order: what runs was started with its dependencies, so it cannot depend on a newcomer.
   */
  add(runners: readonly ServiceRunner[]): void {
    this.pick([]); // throws while the session stops
    for (const runner of runners) {
      if (this.runners.some((r) => r.name === runner.name)) continue;
      this.runners.push(runner);
      runner.onChange(() => this.endIfNothingRuns());
    }
  }

  /** Starts everything; resolves when the session has ended and every process is gone. */
  run(): Promise<SessionResult> {
    const starts = this.runners.map((runner) => this.startWhenDependenciesAllow(runner));
    void Promise.all(starts).then(() => this.reportReadyWhenSettled());
    for (const runner of this.runners) runner.onChange(() => this.endIfNothingRuns());
    this.endIfNothingRuns();
    return this.done;
  }

  /**
   * Nothing is left running (tasks completed, services failed after start-up or stopped with
   * down SERVICE): the session is over, exit 1 if any failed.
   */
  private endIfNothingRuns(): void {
    if (this.reason !== null || this.operations > 0) return;
    if (this.runners.every((r) => r.ended)) this.requestStop({ kind: 'finished' });
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
    // A closing Windows console (SIGHUP) leaves about 5 s: everything stops at once.
    const consoleClosing =
      process.platform === 'win32' && reason.kind === 'signal' && reason.signal === 'SIGHUP';
    const stopping = consoleClosing
      ? Promise.all(this.runners.map((r) => r.stop(force)))
      : stopInReverseOrder(this.runners, force);
    void stopping.then(() => {
      this.emit({ type: 'stopped', elapsedMs: performance.now() - begun });
      this.finish({
        exitCode: exitCodeFor(
          reason,
          this.runners.some((r) => r.state === 'failed'),
        ),
        reason,
      });
    });
  }

  /** Every service as it is now, in start order. */
  snapshot(): ServiceSnapshot[] {
    return this.runners.map((r) => r.snapshot());
  }

  /** Every event of the session from now on (those the reporter prints); returns the unsubscribe. */
  subscribe(listener: EventSink): () => void {
    return this.events.subscribe(listener);
  }

  /**
   * Stops each named service's whole tree and starts it again on the same ports (and what it
   * needs that is not running), in dependency order; resolves once they are ready, rejects
   * (SERVICE_FAILED) if one is not. No names: every service. Unknown name: rejects (USAGE).
   */
  restart(names: readonly string[] = []): Promise<void> {
    return this.operation(names, async (targets) => {
      await stopInReverseOrder(targets, false);
      await startWithDependencies(this.runners, targets, () => this.reason !== null);
    });
  }

  /**
   * Starts the named services and what they need that is not running (in dependency order);
   * running ones are left alone. Resolves once all named are ready (or completed), rejects
   * (SERVICE_FAILED) if one is not. No names: every service.
   */
  start(names: readonly string[] = []): Promise<void> {
    return this.operation(names, (targets) =>
      startWithDependencies(this.runners, targets, () => this.reason !== null),
    );
  }

  /**
   * Stops the named services and, first, everything that depends on them; the session lives
   * on while any service runs. Resolves once their trees are gone. No names: every service.
   */
  stop(names: readonly string[] = []): Promise<void> {
    return this.operation(names, (targets) =>
      stopInReverseOrder(withDependents(this.runners, targets), false),
    );
  }

  /** `down SERVICE` (the caller includes dependents): names not in the session are ignored. */
  async stopServices(names: readonly string[]): Promise<void> {
    const known = names.filter((n) => this.runners.some((r) => r.name === n));
    if (this.reason !== null || known.length === 0) return;
    await this.stop(known);
  }

  private async operation(
    names: readonly string[],
    work: (targets: ServiceRunner[]) => Promise<void>,
  ): Promise<void> {
    const targets = this.pick(names);
    this.operations += 1;
    try {
      await work(targets);
    } finally {
      this.operations -= 1;
      this.endIfNothingRuns();
    }
  }

  private pick(names: readonly string[]): ServiceRunner[] {
    if (this.reason !== null) {
      throw new DevlaunchError('SESSION_RUNNING', 'the session is stopping', {
        exitCode: 3,
        hint: 'Start a new session with devlaunch up once it has stopped.',
      });
    }
    if (names.length === 0) return [...this.runners];
    const unknown = names.filter((n) => !this.runners.some((r) => r.name === n));
    if (unknown.length > 0) {
      throw new DevlaunchError('USAGE', `no service ${unknown.join(', ')} in this session`, {
        hint: `It runs: ${this.runners.map((r) => r.name).join(', ')}.`,
      });
    }
    return this.runners.filter((r) => names.includes(r.name));
  }

  /** Called by a runner that failed for good. */
  serviceFailed(service: string): void {
    if (this.options.exitOnFailure || this.allReady.value !== true) {
      this.requestStop({ kind: 'failure', service });
      return;
    }
    if (this.reason !== null) return;
    // After start-up: the others keep running. A failed service still running (not ready
    // after a restart) is taken down; the session ends once nothing is left running.
    void this.runners.find((r) => r.name === service)?.stop();
    this.emit({
      type: 'message',
      level: 'warn',
      text: `${service} failed after start-up; the other services keep running`,
      hint: `devlaunch restart ${service} starts it again.`,
    });
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
