import type { LineGate } from '../output/line-listeners.js';

/**
 * The narrow interface between the dashboard's HTTP server and a running session. The server
 * knows nothing else about the supervisor, so its handlers are tested against a fake.
 */

/** One service as the page shows it. */
export interface ServiceView {
  name: string;
  /** pending, starting, ready, stopping, completed, failed, stopped. */
  state: string;
  /**
   * What is known of the service's health: `ok` true (ready by its check), false (failing:
   * `text` says why) or null (waiting, or nothing to tell); null when there is nothing at all.
   */
  health: { ok: boolean | null; text: string } | null;
  pid: number | null;
  ports: Record<string, number>;
  url: string | null;
  /** ISO 8601 start of the current process, null when none runs. */
  startedAt: string | null;
  restarts: number;
  exitCode: number | null;
  /** How the last process ended ("exited with code 1", "killed by SIGTERM"), or null. */
  lastExit: string | null;
}

export interface SessionView {
  project: string;
  session: string;
  services: ServiceView[];
}

/** A line of service output. */
export interface LogLine {
  service: string;
  text: string;
}

/**
 * Lines of one log file and where they sit in it: `start` is the byte offset of the first line,
 * `end` the offset just after the last, `size` the file's size when read. Offsets let the page
 * ask for the lines before or after what it holds, however big the file is.
 */
export interface LogPage {
  lines: string[];
  start: number;
  end: number;
  size: number;
}

export type BackendEvent =
  /** Something about the services changed: the page asks for a new snapshot (coalesced). */
  | { type: 'changed' }
  | { type: 'line'; line: LogLine }
  /** The session is stopping: the page shows it, the server closes soon after. */
  | { type: 'stopping' };

export type ServiceAction = 'restart' | 'stop' | 'start';

export interface DashboardBackend {
  snapshot(): SessionView;
  /**
   * The listener is called synchronously by the session: it must only queue, never block. While
   * `gate` is shut, lines are not sent but counted (LineGate.skipped).
   */
  subscribe(listener: (event: BackendEvent) => void, gate?: LineGate): () => void;
  /** The latest lines of every service, as far as the session keeps them. */
  recentLines(): LogLine[];
  /** The latest lines of one service, as far as the session keeps them. */
  lastLines(service: string): string[];
  /** Throws UnknownServiceError for a name not in the session. */
  act(action: ServiceAction, service: string): Promise<void>;
  /**
   * Up to `limit` whole lines of `service`'s log file: those ending at byte `before` (default:
   * the end of the file), or those starting at byte `after`.
   */
  readLog(
    service: string,
    at: { before?: number; after?: number },
    limit: number,
  ): Promise<LogPage>;
}

export class UnknownServiceError extends Error {}
