/**
 * What a service runner shows of itself: its machine's state, the process it runs, its
 * restarts and how its last run ended. ServiceRunner (service-runner.ts) drives the state; the
 * supervisor, `status`, the control channel and the dashboard read it through this view.
 */
import type { ServiceState } from '../state/index.js';
import { exitOf, hasEnded, type Lifecycle, publicState, runOf } from './lifecycle.js';
import type { ServiceSnapshot, ServiceSpec } from './service-spec.js';

export class RunnerView {
  /** Restarts by the restart policy so far; a `devlaunch restart` is not one (docs/sessions.md). */
  restarts = 0;
  /** How the last run ended (`exited with code 1`, `not ready after 60s …`), null before any. */
  lastExit: string | null = null;
  protected lifecycle: Lifecycle = { kind: 'pending' };
  /** When the last run started: kept once it has ended (completed, failed, stopped). */
  protected lastStartedAt: string | null = null;

  constructor(readonly spec: ServiceSpec) {}

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

  /** When the current run started, else the last one; null before the first. */
  get startedAt(): string | null {
    return runOf(this.lifecycle)?.startedAt ?? this.lastStartedAt;
  }

  get exitCode(): number | null {
    return exitOf(this.lifecycle)?.code ?? null;
  }

  /** What `status`, the control channel and the dashboard show of the service now. */
  snapshot(): ServiceSnapshot {
    return {
      name: this.name,
      state: this.state,
      pid: this.pid,
      ports: this.spec.ports,
      url: this.spec.url,
      startedAt: this.startedAt,
      restarts: this.restarts,
      exitCode: this.exitCode,
      lastExit: this.lastExit,
    };
  }

  /** Ended (completed, failed or stopped). */
  get ended(): boolean {
    return hasEnded(this.lifecycle);
  }
}
