/**
 * `devlaunch status` (`ps`): each service's state, pid, port, URL, uptime and restarts, with live
 * health: the running supervisor probes every ready service again, now. Exit codes follow LSB
 * `status`: 0 running and every service healthy, 1 something failed or is unhealthy (or the
 * supervisor is gone while its state remains), 3 not running — then it says when and why the
 * last session ended.
 */

import {
  type FoundSession,
  findSession,
  liveLockOwner,
  unreadableSessions,
} from '../../app/find.js';
import type { GlobalArgs } from '../../app/options.js';
import { quickProject } from '../../app/quick-project.js';
import { SupervisorGone } from '../../control/client.js';
import type { StatusResult } from '../../control/protocol.js';
import { ExitCode } from '../../errors.js';
import { renderServiceTable } from '../../output/service-table.js';
import { isSameProcess } from '../../process/index.js';
import {
  assertUsableState,
  type LastSession,
  listSessionFiles,
  readLastSession,
  type ServiceRecord,
  sessionFile,
} from '../../state/index.js';
import { say, warn } from '../say.js';
import { terminal } from '../terminal.js';

/** LSB `status`: 3 "program is not running". */
const NOT_RUNNING = 3;

/** `devlaunch dashboard` (cli/main.ts loads it from here). */
export async function dashboard(args: GlobalArgs): Promise<number> {
  return (await import('../dashboard-command.js')).run(args);
}

export interface StatusJson {
  project: string;
  session: string | null;
  supervisor?: { pid: number } | null;
  /** The dashboard's URL (token included) while the session runs and serves one. */
  dashboard?: string | null;
  services: {
    name: string;
    state: string;
    /** The live probe's result; null where none was made. */
    healthy: boolean | null;
    pid: number | null;
    ports: Record<string, number>;
    url: string | null;
    startedAt: string | null;
    restarts: number;
    exitCode: number | null;
  }[];
  lastSession: { endedAt: string; reason: string } | null;
}

export async function run(args: GlobalArgs): Promise<number> {
  const where = { file: args.file, cwd: process.cwd(), env: process.env };
  // Nothing recorded and nobody holding the lock: the answer needs only the project's name, so
  // the manifest's parser and schema are not even loaded (they are most of a start-up).
  const quick = quickProject(where);
  if (quick !== undefined) {
    assertUsableState(quick.root, { write: false });
    if (listSessionFiles(quick.root).length === 0 && liveLockOwner(quick.root) === null) {
      return nothingRuns(args, quick.root, quick.name, false);
    }
  }
  const { stateProject } = await import('../../app/project.js');
  const manifest = stateProject(where, (text) => warn(args, text));
  const found = findSession(manifest.root);
  // Never silent about a state it cannot read: a session may run that it cannot describe.
  for (const bad of unreadableSessions(manifest.root)) {
    warn(
      args,
      `the session state ${bad.file} is unreadable (${bad.reason}); devlaunch down moves it aside and stops what it can prove is ours`,
    );
  }
  const owner = found ? null : liveLockOwner(manifest.root);
  if (owner) {
    warn(
      args,
      `a session of ${manifest.name} runs (supervisor pid ${owner.pid}, since ${owner.startedAt}) but its state cannot be read; stop it with devlaunch down`,
    );
  }
  if (!found) return nothingRuns(args, manifest.root, manifest.name, owner !== null);
  const { json, details } = await describe(found, args);
  if (args.json) {
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
  } else {
    if (!found.live) {
      warn(
        args,
        `the supervisor of session ${found.state.session} is gone (killed or crashed); run devlaunch down to stop what it left`,
      );
    }
    printTable(json);
    for (const [name, detail] of details) warn(args, `${name} is unhealthy: ${detail}`);
  }
  if (!found.live) return ExitCode.serviceFailed; // LSB 1: dead, but its state remains
  return json.services.every(fine) ? ExitCode.ok : ExitCode.serviceFailed;
}

/** No session to describe: when and why the last one ended. */
function nothingRuns(args: GlobalArgs, root: string, project: string, locked: boolean): number {
  const last = readLastSession(sessionFile(root));
  const lastSession = last && { endedAt: last.endedAt, reason: last.reason };
  if (args.json) {
    const json: StatusJson = { project, session: null, services: [], lastSession };
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
  } else {
    say(args, `nothing of ${project} is running${last ? `; ${lastEnded(last)}` : ''}`);
  }
  return locked ? ExitCode.serviceFailed : NOT_RUNNING;
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
): Promise<{ json: StatusJson; details: Map<string, string> }> {
  const details = new Map<string, string>();
  if (found.live) {
    const { ask } = await import('../../app/remote.js');
    try {
      const live = await ask<StatusResult>(
        found,
        { op: 'status' },
        { ...args, verbose: false },
        terminal(args),
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

function printTable(json: StatusJson): void {
  const now = Date.now();
  const rows = json.services.map((s) => ({
    ...s,
    uptime: s.startedAt && isRunningState(s.state) ? uptime(now - Date.parse(s.startedAt)) : '-',
  }));
  const columns = ['SERVICE', 'STATE', 'PID', 'PORT', 'URL', 'UPTIME', 'RESTARTS'] as const;
  process.stdout.write(`${renderServiceTable(rows, columns)}\n`);
}

function lastEnded(last: LastSession): string {
  const ago = uptime(Date.now() - Date.parse(last.endedAt));
  return `the last session ended ${ago} ago (${last.endedAt}): ${last.reason}`;
}

function isRunningState(state: string): boolean {
  return state === 'starting' || state === 'ready' || state === 'stopping' || state === 'unhealthy';
}

function processAlive(s: ServiceRecord): boolean {
  return (
    s.pid !== null && s.startTime !== null && isSameProcess({ pid: s.pid, startTime: s.startTime })
  );
}

function uptime(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  if (s < 86400)
    return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  return `${Math.floor(s / 86400)}d${String(Math.floor((s % 86400) / 3600)).padStart(2, '0')}h`;
}
