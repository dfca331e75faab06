/**
 * One service's life: spawn, readiness, exit, restart, stop.
 *
 *   pending ──start──▶ starting ──ready check passes──▶ ready
 *      │                  │  ╲                             │
 *      │                  │   exits 0 ─▶ completed         │ exits
 *      │                  │   exits ≠0 / not ready in time ─▶ failed  (or back to starting: restart)
 *      └──stop──▶ stopped ◀──────── stopping ◀──stop───────┘
 *
 * A stop can arrive in any state, including while the process is being spawned or while a
 * restart is waiting out its backoff; each of those paths checks `stopRequested`.
 */
import type { ServiceConfig } from '../manifest/types.js';
import type { ServiceOutput } from '../output/index.js';
import type { SpawnedService, StopTarget, Watchdog } from '../process/index.js';
import type { ServiceState } from '../state/index.js';
import type { EventSink } from './events.js';
import { Milestone } from './milestone.js';
import { describeCheck, sleep, waitReady } from './readiness.js';
import { restartDecision } from './restart-policy.js';

/** The states of the contract's `status`: see the diagram above. */
export type { ServiceState };

/** Everything needed to run one service, resolved before anything starts. */
export interface ServiceSpec {
  name: string;
  config: ServiceConfig;
  /** The command with `${}` expanded. */
  command: string | string[];
  env: Record<string, string>;
  /** The part of `env` devlaunch set (not inherited from its own environment): what `devlaunch env` shows and the state keeps. */
  ownEnv: Record<string, string>;
  /** Resolved ports: `primary` plus the named ones. */
  ports: Record<string, number>;
  url: string | null;
  session: string;
}

/** The side effects a runner needs, injected so tests can fake them. */
export interface RunnerDeps {
  spawn: (opts: {
    name: string;
    command: string | string[];
    cwd: string;
    env: Record<string, string>;
  }) => Promise<SpawnedService>;
  stopTree: (
    target: StopTarget,
    opts: { signal: string; timeoutMs: number; force?: boolean },
  ) => Promise<{ forced: boolean }>;
  killTreeNow: (target: StopTarget) => Promise<void>;
  describeExit: (code: number | null, signal: string | null) => string;
  output: ServiceOutput;
  emit: EventSink;
  watchdog: Watchdog | null;
  /** Called after every state change (the session state file follows it). */
  changed: () => void;
  /** Called once when the service has failed for good: the session stops. */
  failed: (service: string, reason: string) => void;
}

export class ServiceRunner {
  state: ServiceState = 'pending';
  pid: number | null = null;
  pgid: number | null = null;
  startTime: string | null = null;
  startedAt: string | null = null;
  restarts = 0;
  exitCode: number | null = null;
  readonly started = new Milestone();
  readonly ready = new Milestone();
  readonly completed = new Milestone();
  /** Settles when the runner will do nothing more (ended, failed or stopped). */
  readonly ended = new Milestone();

  private process: SpawnedService | null = null;
  /** A spawn in flight: stop() waits for it, or the process it yields would be missed. */
  private spawning: Promise<unknown> | null = null;
  private stopRequested = false;
  private readonly abort = new AbortController();
  private stopping: Promise<void> | null = null;

  constructor(
    readonly spec: ServiceSpec,
    private readonly deps: RunnerDeps,
  ) {}

  get name(): string {
    return this.spec.name;
  }

  /** Spawns the service and follows it until it ends. Resolves when it has started (or could not). */
  async start(): Promise<void> {
    if (this.stopRequested) return;
    this.setState('starting');
    let proc: SpawnedService;
    const spawning = this.deps.spawn({
      name: this.name,
      command: this.spec.command,
      cwd: this.spec.config.cwd,
      env: this.spec.env,
    });
    this.spawning = spawning;
    try {
      proc = await spawning;
    } catch (error) {
      this.fail(error instanceof Error ? error.message : String(error));
      return;
    } finally {
      this.spawning = null;
    }
    this.process = proc;
    this.pid = proc.pid;
    this.pgid = proc.pgid;
    this.startTime = proc.startTime;
    this.startedAt = new Date().toISOString();
    this.exitCode = null;
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
    this.changed();
    void proc.exit.then((exit) => this.onExit(proc, exit.code, exit.signal));
    if (this.stopRequested) return; // a stop arrived while spawning: stop() handles the process
    await this.awaitReadiness(proc);
  }

  private async awaitReadiness(proc: SpawnedService): Promise<void> {
    const check = this.spec.config.ready;
    if (check === null) {
      this.markReady(0);
      return;
    }
    const port = this.spec.ports.primary ?? Object.values(this.spec.ports)[0] ?? null;
    const outcome = await waitReady(check, {
      host: this.spec.config.host,
      port,
      onLine: (listener) => this.deps.output.onLine(this.name, listener),
      runCheck: (command, signal) => this.runCheck(command, signal),
      exited: proc.exit,
      signal: this.abort.signal,
      onWaiting: (elapsedMs, last) =>
        this.deps.emit({
          type: 'service-waiting',
          service: this.name,
          check: describeCheck(check, port),
          elapsedMs,
          last,
        }),
    });
    if (this.process !== proc) return; // restarted meanwhile
    if (outcome.ok) this.markReady(outcome.elapsedMs);
    else if (outcome.reason === 'timeout') {
      const last = outcome.last === null ? '' : `; last: ${outcome.last}`;
      this.fail(
        `not ready after ${formatMs(check.timeout)} (${describeCheck(check, port)}${last})`,
      );
    }
    // 'exited' is handled by onExit, 'aborted' by stop().
  }

  private markReady(elapsedMs: number): void {
    if (this.stopRequested || this.state !== 'starting') return;
    this.setState('ready');
    this.deps.emit({ type: 'service-ready', service: this.name, elapsedMs });
    this.ready.resolve(true);
  }

  /** A `ready.command` runs with the service's environment and is stopped with the session. */
  private async runCheck(command: string | string[], signal: AbortSignal): Promise<number | null> {
    let check: SpawnedService;
    try {
      check = await this.deps.spawn({
        name: `${this.name} ready check`,
        command,
        cwd: this.spec.config.cwd,
        env: this.spec.env,
      });
    } catch {
      return null;
    }
    check.stdout.resume();
    check.stderr.resume();
    const target = {
      pid: check.pid,
      pgid: check.pgid,
      startTime: check.startTime,
      session: this.spec.session,
    };
    const onAbort = () => void this.deps.killTreeNow(target);
    signal.addEventListener('abort', onAbort, { once: true });
    const exit = await check.exited;
    signal.removeEventListener('abort', onAbort);
    return exit.code;
  }

  private async onExit(
    proc: SpawnedService,
    code: number | null,
    signal: string | null,
  ): Promise<void> {
    if (this.process !== proc) return;
    this.exitCode = code;
    // The direct child is gone, but a grandchild may still hold the port (or the output pipes):
    // sweep its tree now, then let the last output arrive before judging the exit.
    // During a stop, stop() is already taking the tree down with its grace period.
    if (this.stopRequested) return;
    await this.deps.stopTree(this.target(proc), {
      signal: this.spec.config.stop_signal,
      timeoutMs: this.spec.config.stop_timeout,
    });
    await proc.exited;
    this.deps.watchdog?.unwatch(proc.pid);
    if (this.stopRequested) return; // stop() settles the state
    const decision = restartDecision({
      code,
      policy: this.spec.config.restart,
      restarts: this.restarts,
      maxRestarts: this.spec.config.max_restarts,
    });
    if (decision.restart) {
      this.deps.emit({
        type: 'service-restarting',
        service: this.name,
        attempt: this.restarts + 1,
        delayMs: decision.delayMs,
        exitCode: code,
        signal,
      });
      this.process = null;
      this.setState('starting');
      await sleep(decision.delayMs, this.abort.signal);
      if (this.stopRequested) return;
      this.restarts += 1;
      this.deps.output.markRestart(this.name);
      await this.start();
      return;
    }
    if (code === 0) {
      this.process = null;
      this.setState('completed');
      this.deps.emit({ type: 'service-completed', service: this.name });
      this.completed.resolve(true);
      this.ready.resolve(false);
      this.ended.resolve(true);
      return;
    }
    this.fail(this.deps.describeExit(code, signal));
  }

  private fail(reason: string): void {
    if (this.stopRequested || this.state === 'failed') return;
    this.setState('failed');
    this.deps.emit({
      type: 'service-failed',
      service: this.name,
      reason,
      lastLines: this.deps.output.lastLines(this.name),
    });
    this.settleAll(false);
    this.deps.failed(this.name, reason);
  }

  /** Stops the whole tree (stop_signal, then SIGKILL after stop_timeout). Safe to call twice. */
  stop(force = false): Promise<void> {
    this.stopRequested = true;
    this.abort.abort();
    this.stopping ??= this.doStop(force);
    return this.stopping;
  }

  /**
   * Second Ctrl+C: no more grace for whatever is still running. The runner counts as stopping
   * from here on, so the exit this causes is neither a failure nor a reason to restart, even
   * before the supervisor's ordered stop reaches it.
   */
  async forceKill(): Promise<void> {
    this.stopRequested = true;
    this.abort.abort();
    if (this.spawning) await this.spawning.catch(() => {});
    if (this.process) await this.deps.killTreeNow(this.target(this.process));
  }

  private async doStop(force: boolean): Promise<void> {
    // start() resumes first and records the process; only then is there something to stop.
    if (this.spawning) await this.spawning.catch(() => {});
    const proc = this.process;
    // Whether the process itself is still running, not what the state says: a service that
    // failed its readiness check is still running and deserves its stop_signal and grace.
    const live = proc !== null && proc.child.exitCode === null && proc.child.signalCode === null;
    if (proc === null || !live) {
      if (proc)
        await this.deps.stopTree(this.target(proc), {
          signal: 'SIGKILL',
          timeoutMs: 0,
          force: true,
        });
      if (this.state !== 'completed' && this.state !== 'failed') this.setState('stopped');
      this.settleAll(false);
      return;
    }
    const failed = this.state === 'failed';
    this.setState('stopping');
    const begun = performance.now();
    const { forced } = await this.deps.stopTree(this.target(proc), {
      signal: this.spec.config.stop_signal,
      timeoutMs: this.spec.config.stop_timeout,
      force,
    });
    await proc.exited;
    this.deps.watchdog?.unwatch(proc.pid);
    this.setState(failed ? 'failed' : 'stopped');
    this.deps.emit({
      type: 'service-stopped',
      service: this.name,
      forced,
      elapsedMs: performance.now() - begun,
    });
    this.settleAll(false);
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

  private settleAll(value: boolean): void {
    this.started.resolve(value);
    this.ready.resolve(value);
    this.completed.resolve(value);
    this.ended.resolve(true);
  }

  private setState(state: ServiceState): void {
    this.state = state;
    this.changed();
  }

  private changed(): void {
    this.deps.changed();
  }
}

export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  return Number.isInteger(s) ? `${s}s` : `${s.toFixed(1)}s`;
}
