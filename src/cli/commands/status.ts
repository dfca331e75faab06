/** `devlaunch status` (`ps`): each service's state, pid, port, URL, uptime and restarts. */

import { findSession, liveLockOwner, unreadableSessions } from '../../app/find.js';
import type { GlobalArgs } from '../../app/options.js';
import { stateProject } from '../../app/project.js';
import { ExitCode } from '../../errors.js';
import { renderServiceTable } from '../../output/service-table.js';
import { isSameProcess } from '../../process/index.js';
import type { ServiceRecord } from '../../state/index.js';
import { say, warn } from '../say.js';

/** `devlaunch dashboard` (cli/main.ts loads it from here). */
export { run as dashboard } from '../dashboard-command.js';

export interface StatusJson {
  project: string;
  session: string | null;
  supervisor?: { pid: number } | null;
  /** The dashboard's URL (token included) while the session runs and serves one. */
  dashboard?: string | null;
  services: {
    name: string;
    state: ServiceRecord['state'];
    pid: number | null;
    ports: Record<string, number>;
    url: string | null;
    startedAt: string | null;
    restarts: number;
    exitCode: number | null;
  }[];
}

export async function run(args: GlobalArgs): Promise<number> {
  const project = stateProject({ file: args.file, cwd: process.cwd(), env: process.env }, (text) =>
    warn(args, text),
  );
  const found = findSession(project.root);
  // Never silent about a state it cannot read: a session may run that it cannot describe.
  for (const bad of unreadableSessions(project.root)) {
    warn(
      args,
      `the session state ${bad.file} is unreadable (${bad.reason}); devlaunch down moves it aside and stops what it can prove is ours`,
    );
  }
  const owner = found ? null : liveLockOwner(project.root);
  if (owner) {
    warn(
      args,
      `a session of ${project.name} runs (supervisor pid ${owner.pid}, since ${owner.startedAt}) but its state cannot be read; stop it with devlaunch down`,
    );
  }
  const json: StatusJson = found
    ? {
        project: found.state.project,
        session: found.state.session,
        supervisor: found.live ? { pid: found.state.supervisor.pid } : null,
        dashboard: found.live ? (found.state.dashboard ?? null) : null,
        services: found.state.services.map((s) => ({
          name: s.name,
          // A process that is gone is stopped, whatever was recorded last (e.g. after kill -9).
          state: isRunningState(s.state) && !processAlive(s) ? 'stopped' : s.state,
          pid: s.pid,
          ports: s.ports,
          url: s.url,
          startedAt: s.startedAt,
          restarts: s.restarts,
          exitCode: s.exitCode,
        })),
      }
    : { project: project.name, session: null, services: [] };
  if (args.json) {
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    return ExitCode.ok;
  }
  if (!found) {
    say(args, `nothing of ${project.name} is running`);
    return ExitCode.ok;
  }
  if (!found.live) {
    warn(
      args,
      `the supervisor of session ${found.state.session} is gone (killed or crashed); run devlaunch down to stop what it left`,
    );
  }
  const now = Date.now();
  const rows = json.services.map((s) => ({
    ...s,
    uptime: s.startedAt && isRunningState(s.state) ? uptime(now - Date.parse(s.startedAt)) : '-',
  }));
  const columns = ['SERVICE', 'STATE', 'PID', 'PORT', 'URL', 'UPTIME', 'RESTARTS'] as const;
  process.stdout.write(`${renderServiceTable(rows, columns)}\n`);
  return ExitCode.ok;
}

function isRunningState(state: ServiceRecord['state']): boolean {
  return state === 'starting' || state === 'ready' || state === 'stopping';
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
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
