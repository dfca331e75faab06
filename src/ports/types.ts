import type { Ownership } from '../plan/facts.js';
import type { ProcessInfo } from '../process/types.js';

export type { Ownership };

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
