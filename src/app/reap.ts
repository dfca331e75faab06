/**
 * Finds what earlier sessions of this project left behind and stops it, without asking: a
 * session whose supervisor is gone (killed hard, crashed, machine slept) but whose services may
 * still run and hold their ports. A process is stopped only when it is provably one of those
 * services: its pid *and* start time match the record, it descends from such a process, or (on
 * Linux) it carries the session's `DEVLAUNCH_SESSION` mark.
 */
import { renameSync } from 'node:fs';
import { connectAddress, removeAddress } from '../control/address.js';
import type { Manifest } from '../manifest/types.js';
import { waitAllBindable } from '../ports/index.js';
import {
  descendantsOf,
  isSameProcess,
  listProcesses,
  type ProcessInfo,
  readEnviron,
  stopTree,
} from '../process/index.js';
import {
  listSessionFiles,
  readLastSession,
  readState,
  releaseDeadLock,
  removeState,
  retireSession,
  type SessionState,
  writeLastSession,
  writeState,
} from '../state/index.js';
import { escapedDaemons } from './daemons.js';

const PORT_RELEASE_WAIT_MS = 2000;

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

/**
 * The live processes that belong to a recorded session: each recorded service still running
 * (pid and start time) and its descendants, and on Linux every process carrying the session's
 * mark. The supervisor and the watchdog carry the mark too (DEVLAUNCH_ROLE): never included.
 * A marked process counts only for a service in `state.services` (a caller asking about some
 * services passes only those), or, with no DEVLAUNCH_SERVICE, when every service is asked about.
 */
export function processesOf(
  state: SessionState,
  table: ProcessInfo[] = listProcesses(),
  options: { partial?: boolean } = {},
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
  const names = new Set(state.services.map((s) => s.name));
  for (const p of table) {
    if (found.has(p.pid)) continue;
    const env = readEnviron(p.pid);
    if (env === null || env.DEVLAUNCH_SESSION !== state.session) continue;
    if (env.DEVLAUNCH_ROLE !== undefined) continue; // the supervisor or the watchdog
    const service = env.DEVLAUNCH_SERVICE;
    if (service === undefined ? options.partial === true : !names.has(service)) continue;
    add(p, service ?? '?');
  }
  return [...found.values()];
}

/** Grace before SIGKILL: one value for all, or per service (its stop_timeout). */
export type StopGrace = number | ((service: string) => number);

/** A service's stop_timeout when no manifest says it (down with a broken launcher.yaml). */
export const DEFAULT_STOP_TIMEOUT_MS = 5000;

/** The longest a clean stop of `services` can take: every stop_timeout in turn, plus margin. */
export function longestStop(manifest: Manifest | null, services: readonly string[]): number {
  const each = services.map(
    (name) => manifest?.services[name]?.stop_timeout ?? DEFAULT_STOP_TIMEOUT_MS,
  );
  return each.reduce((sum, ms) => sum + ms, 0) + 5000;
}

/**
 * Stops every process of a stale session and removes its state. Returns what was stopped.
 * `grace` is the time before SIGKILL: the services' stop_timeout when a function is given;
 * `by` names the command doing it (`devlaunch down`), for the record of how the session ended.
 */
export async function reapSession(
  state: SessionState,
  file: string,
  grace: StopGrace,
  by: string,
): Promise<StaleProcess[]> {
  const table = listProcesses();
  const stale = await stopProcesses(
    state,
    await withDaemons(state, state.services, processesOf(state, table), table),
    table,
    grace,
  );
  // A new session may have claimed the file meanwhile: only this session's state goes.
  const now = readState(file);
  if (now.kind !== 'ok' || now.state.session === state.session) removeState(file);
  forget(state, file, stale, by);
  return stale;
}

/**
 * What a session whose supervisor died leaves beside its state goes with it: the lock (main
 * session), the control socket, a dynamic session's folder. And since the supervisor could not
 * say how its session ended, the end is recorded here, for `status` (unless it was recorded).
 */
function forget(state: SessionState, file: string, stopped: StaleProcess[], by: string): void {
  retireSession(state);
  try {
    removeAddress(state.root, state.session, connectAddress(state.root, state.session));
  } catch {} // a socket that cannot be removed is replaced by the next bind
  if (state.dynamic || supervisorAlive(state)) return;
  releaseDeadLock(state.root, state.supervisor, isSameProcess);
  if (readLastSession(file)?.session === state.session) return;
  const left =
    stopped.length === 0
      ? 'nothing of it was left running'
      : `${by} stopped ${stopped.length} leftover process${stopped.length === 1 ? '' : 'es'}`;
  try {
    writeLastSession(file, {
      session: state.session,
      endedAt: new Date().toISOString(),
      reason: `its supervisor was gone (killed or crashed) when ${by} cleared it; ${left}`,
    });
  } catch {} // a state folder that cannot be written costs only this record
}

/**
 * `down SERVICE` on a session whose supervisor is gone: stops only those services' processes
 * and records them as stopped; the state goes once nothing of the session runs any more.
 */
export async function reapServices(
  state: SessionState,
  file: string,
  services: readonly string[],
  grace: StopGrace,
  by: string,
): Promise<StaleProcess[]> {
  const asked = state.services.filter((s) => services.includes(s.name));
  const table = listProcesses();
  const stale = await stopProcesses(
    state,
    await withDaemons(
      state,
      asked,
      processesOf({ ...state, services: asked }, table, { partial: true }),
      table,
    ),
    table,
    grace,
  );
  const next: SessionState = {
    ...state,
    services: state.services.map((s) =>
      services.includes(s.name) &&
      (s.state === 'starting' ||
        s.state === 'ready' ||
        s.state === 'stopping' ||
        s.state === 'pending')
        ? { ...s, state: 'stopped' }
        : s,
    ),
  };
  if (processesOf(next).length === 0) {
    removeState(file);
    forget(state, file, stale, by);
  } else {
    writeState(file, next);
  }
  return stale;
}

async function stopProcesses(
  state: SessionState,
  stale: StaleProcess[],
  table: ProcessInfo[],
  grace: StopGrace,
): Promise<StaleProcess[]> {
  const pids = new Set(stale.map((p) => p.pid));
  // One stop per tree, from its top: each stopper signals the tree's descendants itself, and a
  // process must not get a second SIGTERM in the middle of its shutdown.
  const tops = stale.flatMap((p) => {
    const info = table.find((t) => t.pid === p.pid);
    return info && !pids.has(info.ppid) ? [{ p, info }] : [];
  });
  await Promise.all(
    tops.map(({ p, info }) =>
      stopTree(
        {
          pid: p.pid,
          pgid: null,
          startTime: info.startTime,
          session: state.session,
          ...(p.service === '?' ? {} : { service: p.service }),
        },
        { signal: 'SIGTERM', timeoutMs: typeof grace === 'number' ? grace : grace(p.service) },
      ),
    ),
  );
  // Whoever reclaims the ports must not find them still busy (see waitBindable).
  if (stale.length > 0) {
    // A marked process that names no service ('?') may hold any of the session's ports.
    const stopped = new Set(stale.map((p) => p.service));
    await waitAllBindable(
      state.services
        .filter((s) => stopped.has('?') || stopped.has(s.name))
        .flatMap((s) => Object.values(s.ports)),
      PORT_RELEASE_WAIT_MS,
    );
  }
  return stale;
}

/** `found` plus the daemons the services left holding their ports (daemons.ts). */
async function withDaemons(
  state: SessionState,
  services: readonly SessionState['services'][number][],
  found: StaleProcess[],
  table: ProcessInfo[],
): Promise<StaleProcess[]> {
  const daemons = await escapedDaemons(
    services.map((s) => ({ service: s.name, ports: Object.values(s.ports), spawned: s.startTime })),
    table,
  );
  const known = new Set(found.map((p) => p.pid));
  return [
    ...found,
    ...daemons
      .filter((d) => !known.has(d.pid))
      .map((d) => ({ pid: d.pid, command: d.command, service: d.service, session: state.session })),
  ];
}
