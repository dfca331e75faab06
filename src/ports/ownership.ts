/**
 * Whose process holds a port, relative to this project: `ours` (a live session), `stale-ours`
 * (an earlier session whose supervisor is gone) or `foreign`. A pid alone never proves
 * anything, because pids are reused: a recorded process counts only when its pid AND start
 * time match a live process. `classify` is pure (tested with fake tables); `holdersOf` gathers
 * the facts from the OS and the project's state files, and never changes anything on disk.
 */
import {
  isSameProcess,
  listProcesses,
  type ProcessInfo,
  processInfo,
  sessionMark,
} from '../process/index.js';
import { listSessionFiles, readState } from '../state/index.js';
import { listenersOn } from './holders/index.js';
import type { Ownership, PortHolder } from './types.js';

/** What the project's state says about one recorded session. */
export interface RecordedSession {
  session: string;
  /** The supervisor still runs (pid and start time match). */
  live: boolean;
  /** Every recorded process of the session: services (with their service name). */
  processes: { pid: number; startTime: string; service: string }[];
}

export interface Classification {
  owner: Ownership;
  /** The session the holder belongs to; null for a foreign holder. */
  session: string | null;
  /** The recorded service it belongs to, when known. */
  service: string | null;
  /** The recorded process (pid) whose tree it is in, when proven by record or descent. */
  root: { pid: number; startTime: string } | null;
}

const foreign: Classification = { owner: 'foreign', session: null, service: null, root: null };

/**
 * Classifies `holder`: it, or one of its ancestors in `table`, must be a recorded process
 * (pid and start time equal), or its `mark` (DEVLAUNCH_SESSION, Linux) must name a recorded
 * session. A live session wins over a stale one when both would match.
 */
export function classify(
  holder: ProcessInfo,
  table: readonly ProcessInfo[],
  sessions: readonly RecordedSession[],
  mark: string | null,
): Classification {
  const byPid = new Map(table.map((p) => [p.pid, p]));
  const chain: ProcessInfo[] = [];
  const seen = new Set<number>();
  for (let p: ProcessInfo | undefined = holder; p !== undefined && !seen.has(p.pid); ) {
    chain.push(p);
    seen.add(p.pid);
    p = p.ppid > 0 ? byPid.get(p.ppid) : undefined;
  }
  const ordered = [...sessions].sort((a, b) => Number(b.live) - Number(a.live));
  for (const session of ordered) {
    for (const link of chain) {
      const recorded = session.processes.find(
        (r) => r.pid === link.pid && r.startTime !== '' && r.startTime === link.startTime,
      );
      if (recorded) {
        return {
          owner: session.live ? 'ours' : 'stale-ours',
          session: session.session,
          service: recorded.service,
          root: { pid: recorded.pid, startTime: recorded.startTime },
        };
      }
    }
  }
  const marked = mark === null ? undefined : ordered.find((s) => s.session === mark);
  if (marked) {
    return {
      owner: marked.live ? 'ours' : 'stale-ours',
      session: marked.session,
      service: null,
      root: null,
    };
  }
  return foreign;
}

/** The project's recorded sessions, read-only (a corrupt file is skipped, not moved). */
export function recordedSessions(root: string | null): RecordedSession[] {
  if (root === null) return [];
  const sessions: RecordedSession[] = [];
  for (const file of listSessionFiles(root)) {
    const read = readState(file);
    if (read.kind !== 'ok') continue;
    const { state } = read;
    const processes: RecordedSession['processes'] = [];
    for (const s of state.services) {
      if (s.pid !== null && s.startTime !== null) {
        processes.push({ pid: s.pid, startTime: s.startTime, service: s.name });
      }
    }
    sessions.push({ session: state.session, live: isSameProcess(state.supervisor), processes });
  }
  return sessions;
}

/** A holder with how it was classified (the session and service it belongs to). */
export interface ClassifiedHolder extends PortHolder {
  classification: Classification;
}

/**
 * The processes listening on `ports`, one per (port, pid), classified against the sessions
 * recorded under `root` (null: no project, so everything is foreign). A socket whose owner
 * the OS would not reveal is left out: callers see the port busy with no known holder.
 */
export async function holdersOf(ports: number[], root: string | null): Promise<ClassifiedHolder[]> {
  const listeners = await listenersOn(ports);
  if (listeners.length === 0) return [];
  const sessions = recordedSessions(root);
  const table = listProcesses();
  const holders: ClassifiedHolder[] = [];
  const seen = new Set<string>();
  for (const listener of listeners) {
    if (listener.pid === null) continue;
    const key = `${listener.port}:${listener.pid}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const info = table.find((p) => p.pid === listener.pid) ?? processInfo(listener.pid);
    if (info === null) continue; // exited since the socket table was read
    const classification = classify(info, table, sessions, sessionMark(info.pid));
    holders.push({ ...info, port: listener.port, owner: classification.owner, classification });
  }
  return holders;
}
