/**
 * The POSIX mechanics of stopping one tree (used by kill-tree.ts): collecting its processes
 * from a snapshot of the process table, signalling them without ever touching a reused pid,
 * and polling until they are gone.
 */
import {
  descendantsOf,
  isSameProcess,
  listProcessEntries,
  type ProcessEntry,
  processInfo,
  readEnviron,
  startedBefore,
  startTimeOf,
} from './proc-info.js';

export interface TreeTarget {
  pid: number;
  pgid: number | null;
  startTime: string | null;
  session?: string;
  service?: string;
  /** With `session`: only processes started at or after this start-time token can carry it. */
  since?: string;
}

const pollMs = 15;
/** How long SIGKILL is given to take effect before giving up (a process in D state). */
export const killWaitMs = 2000;
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const key = (p: { pid: number; startTime: string }) => `${p.pid}:${p.startTime}`;

export function send(pid: number, signal: string): void {
  try {
    process.kill(pid, signal);
  } catch {} // ESRCH: already gone; EPERM: not ours to signal
}

/** Processes that must never be signalled: init, devlaunch itself and its ancestors. */
function protectedPids(table: readonly ProcessEntry[]): Set<number> {
  const byPid = new Map(table.map((p) => [p.pid, p]));
  const out = new Set<number>([0, 1, process.pid]);
  for (let p = byPid.get(process.ppid); p !== undefined && !out.has(p.pid); p = byPid.get(p.ppid)) {
    out.add(p.pid);
  }
  out.add(process.ppid);
  return out;
}

/**
 * One reading of the process table (and of environments) per turn of the event loop, shared by
 * every tree being stopped: stopping 100 services at once would otherwise read all of /proc
 * 100 times per poll.
 */
let shared: { table: ProcessEntry[]; environ: Map<number, Record<string, string> | null> } | null =
  null;

function snapshot(): NonNullable<typeof shared> {
  if (shared === null) {
    shared = { table: listProcessEntries(), environ: new Map() };
    setImmediate(() => {
      shared = null;
    });
  }
  return shared;
}

function environOf(pid: number): Record<string, string> | null {
  const { environ } = snapshot();
  if (!environ.has(pid)) environ.set(pid, readEnviron(pid));
  return environ.get(pid) ?? null;
}

export class TreeStopper {
  /** Every process ever collected, by pid:startTime: alive ones are waited for. */
  readonly seen = new Map<string, ProcessEntry>();
  group: number | null = null;
  private readonly pinned: string | null;
  private readonly ownGroup: number | null;

  constructor(private readonly target: TreeTarget) {
    this.pinned = target.startTime ?? startTimeOf(target.pid);
    this.ownGroup = processInfo(process.pid)?.pgid ?? null;
  }

  /** One snapshot: the live processes of the tree not collected before. */
  collect(): ProcessEntry[] {
    const t = this.target;
    const table = snapshot().table;
    const byPid = new Map(table.map((p) => [p.pid, p]));
    const roots: ProcessEntry[] = [];
    const self = byPid.get(t.pid);
    const selfIsOurs = self !== undefined && self.startTime === this.pinned;
    if (selfIsOurs) roots.push(self);
    this.group = null;
    if (t.pgid !== null && t.pgid > 1 && t.pgid !== this.ownGroup) {
      const leader = byPid.get(t.pgid);
      // A group id cannot be reused while any member holds it, so a leaderless group is still
      // ours; a live leader must be the very process we started.
      const ours =
        leader === undefined ||
        (t.pgid === t.pid ? leader.startTime === this.pinned : selfIsOurs && self.pgid === t.pgid);
      if (ours) {
        this.group = t.pgid;
        roots.push(...table.filter((p) => p.pgid === t.pgid));
      }
    }
    if (t.session !== undefined) {
      for (const p of table) {
        // Older than the session: cannot have inherited its mark, its environment is not read.
        if (t.since !== undefined && startedBefore(p.startTime, t.since)) continue;
        const env = environOf(p.pid);
        if (env === null || env.DEVLAUNCH_SESSION !== t.session) continue;
        if (env.DEVLAUNCH_ROLE !== undefined) continue; // the watchdog or a supervisor
        if (t.service !== undefined && env.DEVLAUNCH_SERVICE !== t.service) continue;
        roots.push(p);
      }
    }
    for (const p of this.seen.values()) {
      const now = byPid.get(p.pid);
      if (now !== undefined && now.startTime === p.startTime) roots.push(now);
    }
    const never = protectedPids(table);
    const fresh: ProcessEntry[] = [];
    const add = (p: ProcessEntry) => {
      if (never.has(p.pid) || this.seen.has(key(p))) return;
      this.seen.set(key(p), p);
      fresh.push(p);
    };
    for (const root of roots) {
      add(root);
      descendantsOf(root.pid, table).forEach(add);
    }
    return fresh;
  }

  alive(): ProcessEntry[] {
    return [...this.seen.values()].filter((p) => isSameProcess(p));
  }

  signal(procs: ProcessEntry[], signal: string, viaGroup: boolean): void {
    if (viaGroup && this.group !== null) send(-this.group, signal);
    for (const p of procs) {
      // Group members already got it: a second SIGTERM can kill a process mid-shutdown.
      if (viaGroup && this.group !== null && p.pgid === this.group && signal !== 'SIGKILL')
        continue;
      if (isSameProcess(p)) send(p.pid, signal); // never a reused pid
    }
  }

  /** Polls until every collected process is gone (re-collecting stragglers) or the deadline. */
  async waitGone(deadline: number, signal: string): Promise<boolean> {
    for (;;) {
      if (this.alive().length === 0) {
        const late = this.collect();
        if (late.length === 0) return true;
        this.signal(late, signal, false);
      }
      if (Date.now() >= deadline) return false;
      await sleep(pollMs);
    }
  }

  async kill(): Promise<void> {
    this.signal([...this.collect(), ...this.alive()], 'SIGKILL', true);
    await this.waitGone(Date.now() + killWaitMs, 'SIGKILL');
  }
}
