/**
 * `devlaunch up --dry-run`: the launch plan of `up` with the same options, made from the same
 * facts, and nothing changed: no question asked, no process signalled, no state, lock or log
 * written (a corrupt session file is not even moved aside). The error `up` would stop with, if
 * any, comes with it.
 */
import { DevlaunchError } from '../errors.js';
import { loadManifest } from '../manifest/index.js';
import type { Leftover } from '../plan/facts.js';
import { checkServiceNames, startOrder, withDependencies } from '../plan/graph.js';
import type { LaunchPlan } from '../plan/launch-plan.js';
import { portPlanError } from '../ports/apply.js';
import { listProcesses } from '../process/index.js';
import { listSessionFiles, readState } from '../state/index.js';
import { prepareLaunch } from './launch.js';
import type { UpArgs } from './options.js';
import { processesOf, supervisorAlive } from './reap.js';
import { newSessionId } from './session-env.js';

export interface DryRun {
  plan: LaunchPlan;
  /** What `up` would stop with, or null when it would start. */
  error: DevlaunchError | null;
}

export async function dryRun(
  args: UpArgs,
  env: Record<string, string | undefined>,
  cwd: string,
  interactive: boolean,
): Promise<DryRun> {
  const manifest = loadManifest({ file: args.file, cwd, env });
  checkServiceNames(manifest, args.services);
  const order = startOrder(manifest, withDependencies(manifest, args.services));
  const prepared = await prepareLaunch({
    manifest,
    order,
    session: newSessionId(),
    args,
    inherited: env,
    interactive,
    dryRun: true,
    sessions: args.dynamic ? { leftovers: [], running: null } : earlierSessions(manifest.root),
  });
  const { plan } = prepared;
  const error = plan.blocked
    ? new DevlaunchError('SESSION_RUNNING', plan.blocked, {
        hint: 'Stop it with devlaunch down, see it with devlaunch status, or start a separate one with --dynamic.',
      })
    : portPlanError(plan.ports, prepared.holders);
  return { plan, error };
}

/** Read-only: the live session that blocks `up`, and what dead sessions left running. */
function earlierSessions(root: string): {
  leftovers: Leftover[];
  running: { pid: number; startedAt: string } | null;
} {
  const leftovers: Leftover[] = [];
  let running: { pid: number; startedAt: string } | null = null;
  let table: ReturnType<typeof listProcesses> | undefined;
  for (const file of listSessionFiles(root)) {
    const read = readState(file);
    if (read.kind !== 'ok') continue;
    const { state } = read;
    if (supervisorAlive(state)) {
      if (!state.dynamic) running = { pid: state.supervisor.pid, startedAt: state.startedAt };
      continue;
    }
    table ??= listProcesses();
    for (const p of processesOf(state, table)) {
      leftovers.push({ session: p.session, service: p.service, pid: p.pid, command: p.command });
    }
  }
  return { leftovers, running };
}
