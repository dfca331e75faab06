/**
 * Finds what earlier sessions of this project left behind and stops it, without asking: a
 * session whose supervisor is gone (killed hard, crashed, machine slept) but whose services may
 * still run and hold their ports. A process is stopped only when it is provably one of those
 * services: its pid *and* start time match the record, it descends from such a process, or (on
 * Linux) it carries the session's `DEVLAUNCH_SESSION` mark.
 */
import { renameSync } from 'node:fs';
import {
  descendantsOf,
  isSameProcess,
  listProcesses,
  type ProcessInfo,
  sessionMark,
  stopTree,
} from '../process/index.js';
import { listSessionFiles, readState, removeState, type SessionState } from '../state/index.js';

export interface StaleProcess {
  pid: number;
  command: string;
  service: string;
  session: string;
}

export type SessionLiveness =
  | { kind: 'live'; state: SessionState; file: string }
  | { kind: 'stale'; state: SessionState; file: string }
  | { kind: 'corrupt'; file: string; reason: string; movedTo: string };

/** Whether the supervisor recorded in a session file still runs (pid and start time). */
export function supervisorAlive(state: SessionState): boolean {
  return isSameProcess(state.supervisor);
}

/** Every session file of the project, classified. A corrupt file is moved aside, never trusted. */
export function inspectSessions(root: string): SessionLiveness[] {
  const result: SessionLiveness[] = [];
  for (const file of listSessionFiles(root)) {
    const read = readState(file);
    if (read.kind === 'none') continue;
    if (read.kind === 'corrupt') {
      const movedTo = `${file}.corrupt-${Date.now()}`;
      try {
        renameSync(file, movedTo);
      } catch {}
      result.push({ kind: 'corrupt', file, reason: read.reason, movedTo });
      continue;
    }
    result.push({ kind: supervisorAlive(read.state) ? 'live' : 'stale', state: read.state, file });
  }
  return result;
}

/** The live processes that belong to a recorded session. */
export function processesOf(
  state: SessionState,
  table: ProcessInfo[] = listProcesses(),
): StaleProcess[] {
  const found = new Map<number, StaleProcess>();
  const add = (p: ProcessInfo, service: string) => {
    if (p.pid !== process.pid && !found.has(p.pid)) {
      found.set(p.pid, { pid: p.pid, command: p.command, service, session: state.session });
    }
  };
  for (const service of state.services) {
    if (service.pid === null || service.startTime === null) continue;
    if (!isSameProcess({ pid: service.pid, startTime: service.startTime })) continue;
    const root = table.find((p) => p.pid === service.pid);
    if (root) add(root, service.name);
    for (const child of descendantsOf(service.pid, table)) add(child, service.name);
  }
  // Daemons that left their tree still carry the session's mark (Linux).
  for (const p of table) {
    if (!found.has(p.pid) && sessionMark(p.pid) === state.session) add(p, '?');
  }
  return [...found.values()];
}

/**
 * Stops every process of a stale session and removes its state. Returns what was stopped.
 * `timeoutMs` is the grace before SIGKILL (the services' stop_timeout when recorded).
 */
export async function reapSession(
  state: SessionState,
  file: string,
  timeoutMs: number,
): Promise<StaleProcess[]> {
  const stale = processesOf(state);
  const targets = new Map<number, StaleProcess>();
  for (const p of stale) targets.set(p.pid, p);
  const table = listProcesses();
  await Promise.all(
    [...targets.values()].map((p) => {
      const info = table.find((t) => t.pid === p.pid);
      if (!info) return Promise.resolve({ forced: false });
      return stopTree(
        { pid: p.pid, pgid: null, startTime: info.startTime, session: state.session },
        { signal: 'SIGTERM', timeoutMs },
      );
    }),
  );
  removeState(file);
  return stale;
}
