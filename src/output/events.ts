/**
 * What the core tells the outside world. The supervisor and the port resolver emit these; one
 * reporter (`output/reporter.ts`) prints them. Service output lines do not travel as events:
 * they go through `output/service-output.ts`, which is built for throughput.
 */

export interface ReadyRow {
  service: string;
  /** `http://HOST:PORT` for a service with a port, else null. */
  url: string | null;
  pid: number | null;
  ports: Record<string, number>;
  state: 'ready' | 'completed' | 'running';
}

export type StopReason =
  | { kind: 'signal'; signal: 'SIGINT' | 'SIGTERM' | 'SIGHUP' | 'SIGBREAK' }
  | { kind: 'failure'; service: string }
  | { kind: 'down' }
  | { kind: 'finished' }
  /** `devlaunch run`: the command ended, so the services it needed stop. */
  | { kind: 'command-exited'; code: number | null };

export type SupervisorEvent =
  /** A stale process of an earlier session held a preferred port and was stopped. */
  | { type: 'port-reclaimed'; service: string; port: number; pid: number; command: string }
  /** A preferred port could not be used; the service gets another one. */
  | {
      type: 'port-remapped';
      service: string;
      portName: string;
      from: number;
      to: number;
      reason: string;
    }
  /** A foreign process holding a preferred port was stopped on request (--kill, on_conflict, ask). */
  | { type: 'port-freed'; service: string; port: number; pid: number; command: string }
  | { type: 'service-starting'; service: string; command: string; pid: number }
  /** Still waiting for readiness; emitted about once a second per waiting service. */
  | {
      type: 'service-waiting';
      service: string;
      check: string;
      elapsedMs: number;
      /** The last probe's result (`GET / → 500`), null before the first. */
      last?: string | null;
    }
  | { type: 'service-ready'; service: string; elapsedMs: number }
  /** Exited with code 0 and counts as completed (migrate-style tasks). */
  | { type: 'service-completed'; service: string }
  | {
      type: 'service-restarting';
      service: string;
      attempt: number;
      delayMs: number;
      exitCode: number | null;
      signal: string | null;
    }
  /** The service failed; the session stops. `lastLines` is its most recent output. */
  | { type: 'service-failed'; service: string; reason: string; lastLines: string[] }
  /** `dashboard`: the session dashboard's URL, added by the session when it serves one. */
  | { type: 'all-ready'; rows: ReadyRow[]; elapsedMs: number; dashboard?: string }
  | { type: 'stopping'; reason: StopReason; graceful: boolean }
  /** A service's whole tree is gone. `forced`: it needed SIGKILL after its stop_timeout. */
  | { type: 'service-stopped'; service: string; forced: boolean; elapsedMs: number }
  | { type: 'stopped'; elapsedMs: number }
  | { type: 'message'; level: 'info' | 'warn' | 'error'; text: string; hint?: string };

export type EventSink = (event: SupervisorEvent) => void;

/**
 * Every event of a session goes through one bus: the reporter gets each one, and so does each
 * subscriber (the control channel, the dashboard).
 */
export class EventBus {
  private readonly listeners = new Set<EventSink>();

  constructor(private readonly sink: EventSink) {}

  readonly emit: EventSink = (event) => {
    this.sink(event);
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {} // a failing subscriber must not break the session or the other subscribers
    }
  };

  /** Calls `listener` with every event from now on; returns the unsubscribe. */
  subscribe(listener: EventSink): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }
}
