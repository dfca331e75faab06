/** What a service runner is given: the resolved service, and its side effects (injected). */
import type { KeptEnv } from '../env/index.js';
import type { ServiceConfig } from '../manifest/types.js';
import type { EventSink } from '../output/events.js';
import type { ServiceOutput } from '../output/index.js';
import type { SpawnedService, StopTarget, Watchdog } from '../process/index.js';
import type { ServiceState } from '../state/index.js';
import type { sleep, waitReady } from './readiness.js';

/** Everything needed to run one service, resolved before anything starts. */
export interface ServiceSpec {
  name: string;
  config: ServiceConfig;
  /** The command with `${}` expanded. */
  command: string | string[];
  /** The complete environment, built for each start (kept small between starts: env/shared.ts). */
  env: KeptEnv;
  /** The part of `env` devlaunch set (not inherited from its own environment): what `devlaunch env` shows and the state keeps. */
  ownEnv: KeptEnv;
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
  /** The readiness wait; default `waitReady`. Tests inject a controllable one. */
  waitReady?: typeof waitReady;
  /**
   * The TCP ports the process tree of `pid` listens on. While waiting for readiness, ports
   * other than the service's own are pointed out (a command that ignores $PORT). Optional.
   */
  listeningPorts?: (pid: number) => Promise<number[]>;
  /** When to look at the listening ports (service-process.ts PORT_LOOKS); tests shorten it. */
  portLooks?: { firstMs: number; maxIntervalMs: number; confirmMs: number };
  /**
   * The daemon the service left holding one of its ports when its process exited 0 (looked for
   * until `waitMs` has passed, 0: once), as a process to follow in its place; null when none.
   * Optional: without it, an exit 0 is the service's end.
   */
  findDaemon?: (
    spec: ServiceSpec,
    proc: SpawnedService,
    opts: { waitMs: number; signal: AbortSignal },
  ) => Promise<Daemon | null>;
  /** Waits out a restart's backoff; default a timer. Tests inject an instant one. */
  sleep?: typeof sleep;
}

/** A process a service daemonized into, holding `port`. */
export interface Daemon {
  proc: SpawnedService;
  port: number;
  command: string;
}

/** One service as `Supervisor.snapshot()` shows it. */
export interface ServiceSnapshot {
  name: string;
  state: ServiceState;
  /** The running process (the shell for a string command); null when none runs. */
  pid: number | null;
  ports: Record<string, number>;
  url: string | null;
  /** ISO 8601 start of the running process; null when none runs. */
  startedAt: string | null;
  restarts: number;
  exitCode: number | null;
  /** How the last run ended, e.g. `exited with code 1`; null if none has. */
  lastExit: string | null;
}
