import type { ProcessInfo } from '../process/types.js';

/**
 * Who holds a port, relative to this project:
 * - `ours`: a process of this project's live session;
 * - `stale-ours`: recorded by an earlier session of this project that no longer runs (or a
 *   descendant of such a process), proven by pid and start time, or on Linux by the
 *   `DEVLAUNCH_SESSION` mark of one of this project's sessions in its environment;
 * - `foreign`: anything else.
 */
export type Ownership = 'ours' | 'stale-ours' | 'foreign';

/** A listening socket on a TCP port and the process holding it, as the OS tools report it. */
export interface Listener {
  port: number;
  /** The local address as reported, e.g. `0.0.0.0`, `::`, `127.0.0.1`, `::1`, `*`. */
  address: string;
  /** null when the OS would not say (another user's socket without privileges). */
  pid: number | null;
  /** The process name when the tool reports one (ss, lsof, tasklist). */
  processName?: string;
}

export interface PortHolder extends ProcessInfo {
  port: number;
  owner: Ownership;
}
