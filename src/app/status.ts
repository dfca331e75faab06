/**
 * `devlaunch status` (`ps`), the use case: each service's state, pid, port, URL, uptime and
 * restarts, with live health: the running supervisor probes every ready service again, now. Exit
 * codes follow LSB `status`: 0 running and every service healthy, 1 something failed or is
 * unhealthy (or the supervisor is gone while something it started still runs), 3 not running —
 * then it says when and why the last session ended, or that its supervisor died.
 */

import { SupervisorGone } from '../control/client.js';
import type { StatusResult } from '../control/protocol.js';
import { ExitCode } from '../errors.js';
import { isSameProcess } from '../process/index.js';
import { assertUsableState, listSessionFiles, type ServiceRecord } from '../state/index.js';
import { type FoundSession, findSession, liveLockOwner, unreadableSessions } from './find.js';
import type { GlobalArgs, Terminal } from './options.js';
import { quickProject } from './quick-project.js';
import { NOT_RUNNING, noSession, type Status, type StatusJson } from './status-none.js';

export type { Status, StatusJson } from './status-none.js';

/**
 * The project's session as `status` shows it: from the supervisor itself (with live health)
 * when it answers, else from the recorded state. Unreadable state is warned about, never hidden.
 */
export async function sessionStatus(
  args: GlobalArgs,
  term: Terminal,
  warn: (text: string) => void,
): Promise<Status> {
  const where = { file: args.file, cwd: term.cwd, env: term.env };
  // Nothing recorded and nobody holding the lock: the answer needs only the project's name, so
  // the manifest's parser and schema are not even loaded (they are most of a start-up). The CLI
  // answers the plainest case (no lock file at all) before loading this module
  // (statusWhenNothingRuns); a lock left by a supervisor that is gone is judged here.
  const quick = quickProject(where);
  if (quick !== undefined) {
    assertUsableState(quick.root, { write: false });
    if (listSessionFiles(quick.root).length === 0 && liveLockOwner(quick.root) === null) {
      return noSession(quick.root, quick.name, false);
    }
  }
  const { stateProject } = await import('./project.js');
  const manifest = stateProject(where, warn);
  const found = findSession(manifest.root);
  // Never silent about a state it cannot read: a session may run that it cannot describe.
  for (const bad of unreadableSessions(manifest.root)) {
    warn(
      `the session state ${bad.file} is unreadable (${bad.reason}); devlaunch down moves it aside and stops what it can prove is ours`,
    );
  }
  const owner = found ? null : liveLockOwner(manifest.root);
  if (owner) {
    warn(
      `a session of ${manifest.name} runs (supervisor pid ${owner.pid}, since ${owner.startedAt}) but its state cannot be read; stop it with devlaunch down`,
    );
  }
  if (!found) return noSession(manifest.root, manifest.name, owner !== null);
  const { json, details } = await describe(found, args, term);
  if (found.live) {
    const exitCode = json.services.every(fine) ? ExitCode.ok : ExitCode.serviceFailed;
    return { json, details, session: 'live', last: null, exitCode };
  }
  // Its supervisor is gone (killed or crashed). Not running (3) once nothing of it runs, as its
  // watchdog sees to; 1 while something it started is still alive, for down to stop.
  const { processesOf } = await import('./reap.js');
  const left = processesOf(found.state).length > 0;
  return {
    json,
    details,
    session: left ? 'supervisor-gone' : 'supervisor-gone-nothing-left',
    last: null,
    exitCode: left ? ExitCode.serviceFailed : NOT_RUNNING,
  };
}

/** Completed tasks and services stopped on request count as fine; so does ready and healthy. */
function fine(s: StatusJson['services'][number]): boolean {
  if (s.state === 'completed' || s.state === 'stopped') return true;
  return s.state === 'ready' && s.healthy !== false;
}

/** From the supervisor itself (with live health), else from the recorded state. */
async function describe(
  found: FoundSession,
  args: GlobalArgs,
  term: Terminal,
): Promise<{ json: StatusJson; details: Map<string, string> }> {
  const details = new Map<string, string>();
  if (found.live) {
    const { ask } = await import('./remote.js');
    try {
      const live = await ask<StatusResult>(
        found,
        { op: 'status' },
        { ...args, verbose: false },
        term,
      );
      for (const s of live.services) {
        if (s.healthy === false && s.healthDetail) details.set(s.name, s.healthDetail);
      }
      return {
        json: {
          project: live.project,
          session: live.session,
          supervisor: live.supervisor,
          dashboard: found.state.dashboard ?? null,
          services: live.services.map(({ healthDetail: _, ...s }) => s),
          lastSession: null,
        },
        details,
      };
    } catch (error) {
      if (!(error instanceof SupervisorGone)) throw error;
      // An older supervisor, or one whose channel could not open: the recorded state follows.
    }
  }
  return {
    json: {
      project: found.state.project,
      session: found.state.session,
      supervisor: found.live ? { pid: found.state.supervisor.pid } : null,
      dashboard: found.live ? (found.state.dashboard ?? null) : null,
      services: found.state.services.map((s) => ({
        name: s.name,
        // A process that is gone is stopped, whatever was recorded last (e.g. after kill -9).
        state: isRunningState(s.state) && !processAlive(s) ? 'stopped' : s.state,
        healthy: null,
        pid: s.pid,
        ports: s.ports,
        url: s.url,
        startedAt: s.startedAt,
        restarts: s.restarts,
        exitCode: s.exitCode,
      })),
      lastSession: null,
    },
    details,
  };
}

export function isRunningState(state: string): boolean {
  return state === 'starting' || state === 'ready' || state === 'stopping' || state === 'unhealthy';
}

function processAlive(s: ServiceRecord): boolean {
  return (
    s.pid !== null && s.startTime !== null && isSameProcess({ pid: s.pid, startTime: s.startTime })
  );
}
