/**
 * Daemons that escape every other proof of ownership. `redis-server --daemonize yes` double-forks
 * (so it is no descendant of the service) and overwrites its process title over its environment
 * (so the `DEVLAUNCH_SESSION` mark is gone). What remains is the evidence this module uses: the
 * process holds one of the service's own ports, started after the service was spawned, runs as
 * the same user, and was orphaned out of the tree (its parent is init or a subreaper). Such a
 * holder is stopped with the service, never anything else.
 *
 * Where the user has a delegated cgroup v2 subtree, a cgroup per session would be the kernel's
 * version of this; the port evidence works everywhere /proc and the holder lookup do.
 */
import { listenersOn } from '../ports/holders/index.js';
import {
  adoptProcess,
  listProcesses,
  type ProcessInfo,
  type SpawnedService,
  stopTree,
} from '../process/index.js';
import type { Daemon, ServiceSpec } from '../supervisor/service-spec.js';

export interface DaemonEvidence {
  service: string;
  /** The service's own ports. */
  ports: readonly number[];
  /** Start time token of the process devlaunch spawned for it (see ProcessInfo.startTime). */
  spawned: string | null;
}

export interface EscapedDaemon {
  pid: number;
  port: number;
  service: string;
  command: string;
  startTime: string;
}

/** Parents that adopt orphans: init, or a subreaper such as `systemd --user`. */
const REAPER = /(^|\/)(systemd|init|tini|dumb-init|catatonit)(\s|$)/;

/** Pure: whether `holder` of a port of a service spawned at `spawned` is that service's daemon. */
export function isEscapedDaemon(
  holder: ProcessInfo,
  parent: ProcessInfo | undefined,
  spawned: string,
  self: { pid: number; uid: number | null },
): boolean {
  if (holder.pid <= 1 || holder.pid === self.pid) return false;
  if (self.uid === null || holder.uid !== self.uid) return false;
  if (!/^\d+$/.test(holder.startTime) || !/^\d+$/.test(spawned)) return false;
  if (BigInt(holder.startTime) < BigInt(spawned)) return false;
  const orphaned =
    holder.ppid <= 1 ||
    (parent !== undefined && parent.ppid <= 1 && REAPER.test(parent.command)) ||
    parent === undefined;
  return orphaned;
}

/**
 * The escaped daemons holding the given services' ports right now. The process table (`table`,
 * else read here) is read only when something listens on one of the ports: at the end of a
 * session the ports are free, and reading every process would be the close's largest cost.
 */
export async function escapedDaemons(
  services: readonly DaemonEvidence[],
  table?: ProcessInfo[],
): Promise<EscapedDaemon[]> {
  const uid = typeof process.getuid === 'function' ? process.getuid() : null;
  const byPort = new Map<number, DaemonEvidence>();
  for (const s of services) {
    if (s.spawned === null) continue;
    for (const port of s.ports) byPort.set(port, s);
  }
  if (byPort.size === 0 || uid === null) return [];
  const listeners = await listenersOn([...byPort.keys()]);
  const found = new Map<number, EscapedDaemon>();
  let processes = table;
  for (const l of listeners) {
    const s = byPort.get(l.port);
    if (l.pid === null || s === undefined || s.spawned === null || found.has(l.pid)) continue;
    processes ??= listProcesses();
    const holder = processes.find((p) => p.pid === l.pid);
    if (holder === undefined) continue;
    const parent = processes.find((p) => p.pid === holder.ppid);
    if (!isEscapedDaemon(holder, parent, s.spawned, { pid: process.pid, uid })) continue;
    found.set(l.pid, {
      pid: l.pid,
      port: l.port,
      service: s.service,
      command: holder.command,
      startTime: holder.startTime,
    });
  }
  return [...found.values()];
}

/** Stops each daemon's tree (graceful, then forced after `grace`); returns them. */
export async function stopEscapedDaemons(
  services: readonly DaemonEvidence[],
  grace: (service: string) => number,
): Promise<EscapedDaemon[]> {
  const daemons = await escapedDaemons(services);
  await Promise.all(
    daemons.map((d) =>
      stopTree(
        { pid: d.pid, pgid: null, startTime: d.startTime },
        { signal: 'SIGTERM', timeoutMs: grace(d.service) },
      ),
    ),
  );
  return daemons;
}

const DAEMON_LOOK_MS = 100;

/**
 * The daemon a service left holding one of its ports when its process exited 0 (as
 * `redis-server --daemonize yes` or `pg_ctl start` do), looked for until `waitMs` has passed
 * (one look when 0) or `signal` aborts; null when there is none.
 */
export async function awaitDaemon(
  service: DaemonEvidence,
  opts: { waitMs: number; signal: AbortSignal },
): Promise<EscapedDaemon | null> {
  const until = performance.now() + opts.waitMs;
  for (;;) {
    const [daemon] = await escapedDaemons([service]).catch(() => []);
    if (opts.signal.aborted) return null;
    if (daemon !== undefined) return daemon;
    if (performance.now() >= until) return null;
    await new Promise((resolve) => setTimeout(resolve, DAEMON_LOOK_MS));
  }
}

/** The runner's `findDaemon`: the daemon `proc` left on the service's ports, adopted to follow. */
export async function followDaemon(
  spec: ServiceSpec,
  proc: SpawnedService,
  opts: { waitMs: number; signal: AbortSignal },
): Promise<Daemon | null> {
  const evidence = {
    service: spec.name,
    ports: Object.values(spec.ports),
    spawned: proc.startTime,
  };
  const daemon = await awaitDaemon(evidence, opts);
  if (daemon === null) return null;
  return {
    proc: adoptProcess(daemon.pid, daemon.startTime),
    port: daemon.port,
    command: daemon.command,
  };
}
