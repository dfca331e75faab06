/**
 * Facts about ports as the plan reads them: plain data gathered beforehand by ports/ (probes,
 * holders, ownership, kill safety), so that every decision can be made, and tested, without I/O.
 */
import { dict } from '../dict.js';

/**
 * Who holds a port, relative to this project:
 * - `ours`: a process of this project's live session;
 * - `stale-ours`: recorded by an earlier session of this project that no longer runs (or a
 *   descendant of such a process), proven by pid and start time, or on Linux by the
 *   `DEVLAUNCH_SESSION` mark of one of this project's sessions in its environment;
 * - `foreign`: anything else.
 */
export type Ownership = 'ours' | 'stale-ours' | 'foreign';

/** Why a holder must not be stopped (see ports/kill-safety.ts). */
export interface Refusal {
  /** Whether `--force` lifts it. pid 0/1 and devlaunch itself are never stopped. */
  forceable: boolean;
  reason: string;
}

/** One process holding a port: what the policy decides on, and what a person is shown. */
export interface HolderDetail {
  /** null: the OS would not say who holds the port. */
  pid: number | null;
  owner: Ownership;
  /** Why it may not be stopped, or null. */
  refusal: Refusal | null;
  /** For `ours` / `stale-ours`: the session it belongs to. */
  session?: string | null;
  user: string | null;
  command: string | null;
}

/** What probing a preferred port found. */
export type PortFinding =
  | { kind: 'free' }
  | { kind: 'forbidden'; code: string }
  | { kind: 'held'; holders: HolderDetail[] };

/** A process of an earlier session of this project whose supervisor is gone. */
export interface Leftover {
  session: string;
  service: string;
  pid: number;
  command: string;
}

/** Everything the plan depends on that only I/O can tell. */
export interface LaunchFacts {
  /** By preferred port: what probing it found. Ports not probed (auto, --dynamic) are absent. */
  ports: Record<number, PortFinding>;
  /** The person's answers to port questions, by label (`backend`, `backend.debug`). */
  answers: Record<string, 'stop' | 'remap' | 'abort'>;
  /** Free ports found for the labels that need a fresh one (remapped or dynamic). */
  fresh: Record<string, number>;
  /** Port ranges the OS reserves (Windows excluded ranges): never handed out. */
  reserved: { from: number; to: number }[];
  /** Leftovers of earlier sessions, stopped before anything starts. */
  leftovers: Leftover[];
  /** Another (non-dynamic) session of this project that runs: `up` must not start. */
  running: { pid: number; startedAt: string } | null;
}

export function noFacts(): LaunchFacts {
  return { ports: {}, answers: dict(), fresh: dict(), reserved: [], leftovers: [], running: null };
}
