/**
 * The control channel's protocol: newline-delimited JSON over a local socket. A client sends
 * one request line; the supervisor answers with any number of `event` lines (progress of a
 * restart, say) and then exactly one `result` or `error` line, and closes. One request per
 * connection keeps both sides simple: no ids, no multiplexing, and a dropped connection is an
 * unambiguous "no answer".
 */
import type { SupervisorEvent } from '../output/events.js';

export const PROTOCOL_VERSION = 1;

export type ControlRequest =
  /** Is the supervisor there? Answers its pid and session. */
  | { op: 'ping' }
  /** Every service's state, with a live health probe of those that are ready (`status`). */
  | { op: 'status' }
  /** `restart [SERVICE...]`: empty means every service of the session. */
  | { op: 'restart'; services: string[] }
  /**
   * `up SERVICE...` into the running session: those and what they need that is not running.
   * `ports`: the command line's port options, for services the session does not run yet.
   */
  | { op: 'start'; services: string[]; ports?: PortOptions }
  /** `down SERVICE...` (with their dependents), or the whole session when empty. */
  | { op: 'stop'; services: string[] };

export type ControlOp = ControlRequest['op'];

/** `--kill` / `--remap` / `--fail`, `--force` and `--port NAME=PORT` of `up SERVICE`. */
export interface PortOptions {
  conflict: 'kill' | 'remap' | 'fail' | null;
  force: boolean;
  port: string[];
}

/** How a service ended up after `restart` or `start`. */
export interface ServiceOutcome {
  name: string;
  /** Ready (or completed) again. */
  ok: boolean;
  state: string;
  pid: number | null;
  ports: Record<string, number>;
  url: string | null;
  /** Why it is not ok: its failure, or what it waited on. */
  reason?: string;
}

export interface PingResult {
  pid: number;
  session: string;
  project: string;
}

export interface ServiceStatus {
  name: string;
  state: string;
  /** Result of the live probe; null where none was made (not ready, or no check to repeat). */
  healthy: boolean | null;
  /** Why the probe failed (`GET /health → timeout`, `process stopped (SIGSTOP)`). */
  healthDetail?: string;
  pid: number | null;
  ports: Record<string, number>;
  url: string | null;
  startedAt: string | null;
  restarts: number;
  exitCode: number | null;
}

export interface StatusResult {
  project: string;
  session: string;
  supervisor: { pid: number };
  services: ServiceStatus[];
}

export interface OutcomeResult {
  services: ServiceOutcome[];
}

/** What the supervisor sends back, line by line. */
export type ControlMessage =
  | { type: 'event'; event: SupervisorEvent }
  | { type: 'result'; result: unknown }
  | { type: 'error'; error: RemoteError };

/** A DevlaunchError crossing the socket: enough to print it and exit as the supervisor meant. */
export interface RemoteError {
  message: string;
  hint?: string;
  exitCode: number;
}

export function encode(message: ControlMessage | (ControlRequest & { v: number })): string {
  return `${JSON.stringify(message)}\n`;
}

const OPS: readonly ControlOp[] = ['ping', 'status', 'restart', 'start', 'stop'];

/** Parses a request line; anything malformed is a string saying why (never a throw). */
export function parseRequest(line: string): ControlRequest | string {
  let data: unknown;
  try {
    data = JSON.parse(line);
  } catch {
    return 'not JSON';
  }
  if (typeof data !== 'object' || data === null) return 'not a JSON object';
  const { v, op, services } = data as Record<string, unknown>;
  if (v !== PROTOCOL_VERSION)
    return `protocol version ${JSON.stringify(v)} is not ${PROTOCOL_VERSION}`;
  if (typeof op !== 'string' || !OPS.includes(op as ControlOp)) {
    return `unknown op ${JSON.stringify(op)}`;
  }
  if (op === 'ping' || op === 'status') return { op };
  if (!Array.isArray(services) || !services.every((s) => typeof s === 'string')) {
    return `${op} needs "services": a list of names`;
  }
  const ports = portOptions((data as { ports?: unknown }).ports);
  if (op === 'start' && ports !== undefined) return { op, services, ports };
  return { op: op as 'restart' | 'start' | 'stop', services };
}

/** The port options of a start request, when well formed (anything else: none). */
function portOptions(value: unknown): PortOptions | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { conflict, force, port } = value as Record<string, unknown>;
  const conflicts = ['kill', 'remap', 'fail', null];
  if (!conflicts.includes(conflict as string | null) || typeof force !== 'boolean')
    return undefined;
  if (!Array.isArray(port) || !port.every((p) => typeof p === 'string')) return undefined;
  return { conflict: conflict as PortOptions['conflict'], force, port };
}

/** Parses a line from the supervisor; null when it is not one of ours. */
export function parseMessage(line: string): ControlMessage | null {
  let data: unknown;
  try {
    data = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof data !== 'object' || data === null) return null;
  const type = (data as { type?: unknown }).type;
  if (type === 'event' || type === 'result') return data as ControlMessage;
  if (type === 'error') {
    const error = (data as { error?: Partial<RemoteError> }).error;
    if (typeof error?.message !== 'string' || typeof error.exitCode !== 'number') return null;
    return data as ControlMessage;
  }
  return null;
}
