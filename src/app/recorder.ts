/**
 * Keeps the session's state file in step with the runners, so that `status`, `env`, `down`
 * and a later `up` can find every process of this session — even after devlaunch was killed
 * hard. Each write is atomic (temp file + rename); writes are coalesced to one per tick.
 */
import { processInfo } from '../process/index.js';
import { removeState, type ServiceRecord, type SessionState, writeState } from '../state/index.js';
import type { ServiceRunner } from '../supervisor/service-runner.js';

const WRITE_DELAY_MS = 20;

export interface RecorderInit {
  file: string;
  project: string;
  session: string;
  dynamic: boolean;
  manifest: string;
  root: string;
  watchdog: { pid: number } | null;
  /** The dashboard's URL, or null when the session serves none. */
  dashboard: string | null;
}

export class SessionRecorder {
  private runners: readonly ServiceRunner[] = [];
  private scheduled = false;
  private closed = false;
  private readonly startedAt = new Date().toISOString();
  private readonly self = {
    pid: process.pid,
    startTime: processInfo(process.pid)?.startTime ?? '',
  };
  private readonly watchdog: { pid: number; startTime: string } | null;

  constructor(private readonly init: RecorderInit) {
    const wd = init.watchdog ? processInfo(init.watchdog.pid) : null;
    this.watchdog =
      wd && init.watchdog ? { pid: init.watchdog.pid, startTime: wd.startTime } : null;
  }

  get file(): string {
    return this.init.file;
  }

  track(runners: readonly ServiceRunner[]): void {
    this.runners = runners;
    this.writeNow();
  }

  /**
   * Something changed: write soon, once for every change of the next few milliseconds. A
   * session of 100 services changes state hundreds of times while starting; writing each time
   * would cost time quadratic in its size. The delay cannot lose a process: the watchdog learns
   * every pid at spawn, and the DEVLAUNCH_SESSION mark identifies the rest.
   */
  changed(): void {
    if (this.scheduled || this.closed) return;
    this.scheduled = true;
    const timer = setTimeout(() => {
      this.scheduled = false;
      if (!this.closed) this.writeNow();
    }, WRITE_DELAY_MS);
    timer.unref();
  }

  writeNow(): void {
    writeState(this.init.file, this.snapshot());
  }

  /** The session has ended and nothing runs: the state goes; the logs stay. */
  close(): void {
    this.closed = true;
    removeState(this.init.file);
  }

  snapshot(): SessionState {
    return {
      version: 1,
      project: this.init.project,
      session: this.init.session,
      dynamic: this.init.dynamic,
      manifest: this.init.manifest,
      root: this.init.root,
      startedAt: this.startedAt,
      supervisor: this.self,
      watchdog: this.watchdog,
      dashboard: this.init.dashboard,
      services: this.runners.map(
        (r): ServiceRecord => ({
          name: r.name,
          state: r.state,
          pid: r.pid,
          pgid: r.pgid,
          startTime: r.startTime,
          ports: r.spec.ports,
          url: r.spec.url,
          startedAt: r.startedAt,
          restarts: r.restarts,
          exitCode: r.exitCode,
          env: r.spec.ownEnv(),
        }),
      ),
    };
  }
}
