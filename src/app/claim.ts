/**
 * Claiming a session before anything else happens: the project lock (not for `--dynamic`) and a
 * `starting` state naming this process as the supervisor, written before ports are resolved.
 * So `devlaunch down` at any moment after `up` began finds the session and asks this process to
 * stop: while resolving ports, asking on the terminal, or probing, that request ends the start-up
 * cleanly (nothing was started; exit 0, a clean stop asked for by down).
 *
 * `up -d` claims in the foreground process (which may ask on the terminal) and hands the claim
 * over to the background supervisor it starts (DEVLAUNCH_HANDOFF): the supervisor takes over the
 * lock held by its parent and rewrites the state with itself as the supervisor.
 */
import { DevlaunchError } from '../errors.js';
import type { Manifest } from '../manifest/types.js';
import { isSameProcess, processInfo } from '../process/index.js';
import { onNudge } from '../process/nudge.js';
import {
  acquireLock,
  readState,
  removeState,
  type SessionState,
  sessionFile,
  writeState,
} from '../state/index.js';
import { type DownRequest, listenForDown } from './control.js';
import { stopCommand } from './targets.js';

/** Thrown out of the start-up when `devlaunch down` asked this session to stop. */
export class StoppedByDown extends Error {
  constructor() {
    super('stopped by devlaunch down before the services started');
    this.name = 'StoppedByDown';
  }
}

export interface Identity {
  pid: number;
  startTime: string;
}

/** The process a background supervisor takes the claim over from (its `up -d` parent). */
export function handoffFrom(env: Readonly<Record<string, string | undefined>>): Identity | null {
  // Not passed on to the services (session-env.ts SUPERVISOR_ONLY).
  const [pid, startTime] = (env.DEVLAUNCH_HANDOFF ?? '').split(':');
  return pid && startTime ? { pid: Number(pid), startTime } : null;
}

export interface ClaimOptions {
  manifest: Manifest;
  session: string;
  dynamic: boolean;
  /** The services of the session, recorded as `pending`. */
  names: readonly string[];
  /** Take over the lock and state this process holds (our `up -d` parent). Default none. */
  handoff?: Identity | null;
  /** `-f` as given, for the hint of a second `up`. */
  file?: string | undefined;
}

export interface Claim {
  readonly file: string;
  readonly self: Identity;
  /** Whether a down request arrived before `route` was called. */
  readonly stopRequested: boolean;
  /** `promise`, or StoppedByDown as soon as a down request arrives during start-up. */
  guard<T>(promise: Promise<T>): Promise<T>;
  /** From now on down requests go to `handler` (the supervisor runs). */
  route(handler: (request: DownRequest) => void): void;
  /**
   * The background supervisor takes the claim over: stop reading down requests (they are now
   * its to read), and let a late nudge (SIGUSR2) meant for the old owner do no harm.
   */
  handOver(): void;
  /** Stops listening, removes a state still ours and releases the lock. Idempotent. */
  release(): void;
}

export function claimSession(options: ClaimOptions): Claim {
  const { manifest, session, dynamic } = options;
  const info = processInfo(process.pid);
  const self: Identity = { pid: process.pid, startTime: info?.startTime ?? '' };
  const file = sessionFile(manifest.root, dynamic ? session : undefined);
  const startedAt = new Date().toISOString();
  const releaseLock = dynamic ? () => {} : takeLock(manifest, self, startedAt, options);
  const state: SessionState = {
    version: 1,
    project: manifest.name,
    session,
    dynamic,
    manifest: manifest.file,
    root: manifest.root,
    startedAt,
    supervisor: self,
    watchdog: null,
    services: options.names.map((name) => ({
      name,
      state: 'pending',
      pid: null,
      pgid: null,
      startTime: null,
      ports: {},
      url: null,
      startedAt: null,
      restarts: 0,
      exitCode: null,
      env: {},
    })),
  };
  let stopRequested = false;
  let handler: ((request: DownRequest) => void) | null = null;
  const wakers = new Set<() => void>();
  // Listening (its nudge handled) before the state names this process: a down that finds the
  // state may nudge at once, and an unhandled nudge would end this process.
  const stopListening = listenForDown(file, session, (request) => {
    if (handler) return handler(request);
    // During start-up only a whole-session stop means anything: nothing runs yet.
    if (request.services.length > 0) return;
    stopRequested = true;
    for (const wake of wakers) wake();
  });
  try {
    writeState(file, state);
  } catch (error) {
    stopListening();
    releaseLock();
    throw error;
  }
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    stopListening();
    const now = readState(file);
    const ours =
      now.kind === 'ok' &&
      now.state.session === session &&
      now.state.supervisor.pid === self.pid &&
      now.state.supervisor.startTime === self.startTime;
    if (ours) removeState(file);
    releaseLock();
  };
  // process.exit (a Ctrl+C during start-up) still leaves no claim behind.
  process.once('exit', release);
  return {
    file,
    self,
    get stopRequested() {
      return stopRequested;
    },
    guard<T>(promise: Promise<T>): Promise<T> {
      if (stopRequested) return Promise.reject(new StoppedByDown());
      return new Promise<T>((resolve, reject) => {
        const wake = () => reject(new StoppedByDown());
        wakers.add(wake);
        promise.then(resolve, reject).finally(() => wakers.delete(wake));
      });
    },
    route(next) {
      handler = next;
    },
    handOver() {
      stopListening();
      // A nudge that arrives after the hand-over must not end this process (SIGUSR2's default).
      onNudge(() => {});
    },
    release,
  };
}

function takeLock(
  manifest: Manifest,
  self: Identity,
  startedAt: string,
  options: ClaimOptions,
): () => void {
  const handoff = options.handoff ?? null;
  const lock = acquireLock(manifest.root, { ...self, startedAt }, (o) =>
    // The parent handing its claim over counts as gone: its lock is taken over.
    handoff !== null && o.pid === handoff.pid && o.startTime === handoff.startTime
      ? false
      : isSameProcess(o),
  );
  if (!lock.acquired) {
    throw new DevlaunchError(
      'SESSION_RUNNING',
      `a session of ${manifest.name} is already running (pid ${lock.owner.pid}, since ${lock.owner.startedAt})`,
      {
        hint: `Stop it with ${stopCommand({ id: '', dynamic: false }, options.file)}, see it with devlaunch status, or start a separate one with --dynamic.`,
      },
    );
  }
  return () => lock.release();
}
