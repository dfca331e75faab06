/**
 * The listening ports of a service's process tree, for the wrong-port look each waiting service
 * makes (supervisor/service-process.ts). The looks of every service share one reading of the
 * process table and one of the socket tables within SHARE_MS: with 100 services starting, each
 * look used to read all of /proc (three files per process) and both socket tables itself, so
 * the reads grew with the square of the services, and the looks still under way when the last
 * service became ready left megabytes of garbage behind (docs/benchmarks.md, "Growth per
 * service"). A reading at most SHARE_MS old is as good as a fresh one here: a look repeats at
 * growing intervals, and a wrong port is only reported once it is still so 500 ms later.
 */
import { sharedPortsListenedBy } from '../ports/index.js';
import { descendantsOf, listProcessEntries } from '../process/index.js';
import { reusedFor } from '../reuse.js';

export const SHARE_MS = 100;

export function portLooks(shareMs: number = SHARE_MS): (pid: number) => Promise<number[]> {
  const portsOf = sharedPortsListenedBy(shareMs);
  const table = reusedFor(shareMs, listProcessEntries);
  return (pid) => portsOf([pid, ...descendantsOf(pid, table()).map((p) => p.pid)]);
}
