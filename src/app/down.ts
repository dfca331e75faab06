/**
 * `devlaunch down [SERVICE...]`: stop the project's running session from anywhere. A live
 * supervisor is asked to stop (it stops its services in reverse dependency order); a session
 * whose supervisor is gone is stopped here, process by process, each proven ours by pid and
 * start time. Returns once every process is gone and every port binds.
 *
 * Which session: the main (locked) one; with none, the one `--dynamic` session if exactly one
 * runs (several: listed, none stopped); `--all` every one, `--session ID` that one
 * (app/targets.ts). It works from the recorded state, so an invalid manifest only warns.
 */

import { callControl, SupervisorGone } from '../control/client.js';
import { DevlaunchError } from '../errors.js';
import type { Manifest } from '../manifest/types.js';
import { dependentsOf } from '../plan/graph.js';
import { isSameProcess, stopTree } from '../process/index.js';
import { readState, type SessionState, sessionFile } from '../state/index.js';
import { sendDownRequest } from './control.js';
import { liveLockOwner } from './find.js';
import type { CommandContext, DownArgs } from './options.js';
import { stateProject } from './project.js';
import {
  DEFAULT_STOP_TIMEOUT_MS,
  inspectSessions,
  longestStop,
  processesOf,
  reapServices,
  reapSession,
  type StopGrace,
} from './reap.js';
import { chooseTargets, type Found } from './targets.js';
import { waitUntil } from './wait.js';

export async function stopSessions(args: DownArgs, ctx: CommandContext): Promise<void> {
  if (args.all && args.session !== undefined) {
    throw new DevlaunchError('USAGE', '--all and --session name different sessions: give one');
  }
  const project = stateProject({ file: args.file, cwd: ctx.cwd, env: ctx.env }, ctx.warn);
  const { root, manifest } = project;
  const grace: StopGrace = (service) =>
    manifest?.services[service]?.stop_timeout ?? manifest?.stop_timeout ?? DEFAULT_STOP_TIMEOUT_MS;
  let acted = false;
  const found: Found[] = [];
  for (const session of inspectSessions(root)) {
    if (session.kind !== 'corrupt') {
      found.push(session);
      continue;
    }
    ctx.warn(
      `the session state ${session.file} was unreadable (${session.reason}); moved to ${session.movedTo}. Nothing it names was stopped.`,
    );
    if (session.file === sessionFile(root) && (await stopLockOwner(root, project.name, ctx))) {
      acted = true;
    }
  }
  const targets = chooseTargets(found, { all: args.all, session: args.session });
  if (targets.kind === 'unknown-id') {
    throw new DevlaunchError('USAGE', `no session ${targets.id} of ${project.name} is recorded`, {
      hint:
        targets.known.length > 0
          ? `Its sessions: ${targets.known.map(describe).join('; ')}.`
          : 'Nothing of it runs; devlaunch status shows what does.',
    });
  }
  const sessions = targets.kind === 'stop' ? targets.sessions : targets.orphans;
  checkNames(args.services, manifest, sessions);
  for (const session of sessions) {
    acted = true;
    await stopOne(session, args, ctx, manifest, grace);
  }
  if (targets.kind === 'ambiguous') {
    throw new DevlaunchError(
      'USAGE',
      `${targets.running.length} --dynamic sessions of ${project.name} run and none is the main one, so nothing was stopped:\n  ${targets.running.map(describe).join('\n  ')}`,
      {
        hint: `Stop one with devlaunch down --session ID, or all of them with devlaunch down --all.`,
      },
    );
  }
  if (!acted) ctx.say(`nothing of ${project.name} is running`);
}

function describe(f: Found): string {
  const kind = f.state.dynamic ? '--dynamic' : 'main';
  const names = f.state.services.map((s) => s.name).join(', ');
  return `${f.state.session} (${kind}, since ${f.state.startedAt}, ${f.kind === 'live' ? 'running' : 'supervisor gone'}: ${names})`;
}

/** Names on the command line must be services: of the manifest, or of a targeted session. */
function checkNames(wanted: string[], manifest: Manifest | null, sessions: Found[]): void {
  const known = manifest
    ? Object.keys(manifest.services)
    : [...new Set(sessions.flatMap((f) => f.state.services.map((s) => s.name)))];
  const unknown = wanted.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new DevlaunchError('USAGE', `no service named ${unknown.join(', ')}`, {
      hint: `The services are: ${known.join(', ') || 'none'}.`,
    });
  }
}

async function stopOne(
  found: Found,
  args: DownArgs,
  ctx: CommandContext,
  manifest: Manifest | null,
  grace: StopGrace,
): Promise<void> {
  const { state, file } = found;
  // Only services this session runs; their dependents too (the supervisor adds them itself).
  const services = withDependents(manifest, args.services).filter((name) =>
    state.services.some((s) => s.name === name),
  );
  const label = `session ${state.session}${state.dynamic ? ' (--dynamic)' : ''} of ${state.project}`;
  if (args.services.length > 0 && services.length === 0) return; // not part of this session
  if (found.kind === 'live') {
    const longest = longestStop(
      manifest,
      state.services.map((s) => s.name),
    );
    await stopLive(state, file, services, longest);
    ctx.say(
      services.length > 0 ? `stopped ${services.join(', ')} in ${label}` : `stopped ${label}`,
    );
    return;
  }
  const stopped =
    services.length > 0
      ? await reapServices(state, file, services, grace, 'devlaunch down')
      : await reapSession(state, file, grace, 'devlaunch down');
  ctx.say(
    stopped.length > 0
      ? `stopped ${stopped.length} leftover process${stopped.length === 1 ? '' : 'es'} of ${label} (its supervisor was gone): ${stopped.map((p) => `${p.service} pid ${p.pid}`).join(', ')}`
      : services.length > 0
        ? `${services.join(', ')} of ${label} had already stopped`
        : `${label} had ended; removed its state`,
  );
}

function withDependents(manifest: Manifest | null, services: string[]): string[] {
  if (manifest === null) return services;
  return [...new Set(services.flatMap((s) => [s, ...dependentsOf(manifest, s)]))];
}

/**
 * The main session's state was unreadable, but the lock names its supervisor (pid and start
 * time, so never a stranger): ask it to stop as usual. Returns whether there was one.
 */
async function stopLockOwner(root: string, name: string, ctx: CommandContext): Promise<boolean> {
  const owner = liveLockOwner(root);
  if (owner === null) return false;
  const timeout = 30_000;
  const gone = await askToStop(sessionFile(root), owner, undefined, timeout);
  if (gone) ctx.say(`stopped the session of ${name} (supervisor pid ${owner.pid})`);
  else ctx.warn(`the supervisor of ${name} (pid ${owner.pid}) did not stop within ${timeout} ms`);
  return true;
}

/** Asks a live supervisor to stop its whole session; resolves whether it exited in time. */
async function askToStop(
  file: string,
  supervisor: { pid: number; startTime: string },
  session: string | undefined,
  timeoutMs: number,
): Promise<boolean> {
  sendDownRequest(file, supervisor.pid, { services: [], requestedBy: process.pid, session });
  return waitUntil(() => !isSameProcess(supervisor), timeoutMs);
}

/**
 * Asks over the control channel first; a supervisor that does not answer there (its channel
 * could not be opened) still gets the request file and its nudge.
 */
async function requestStop(file: string, state: SessionState, services: string[]): Promise<void> {
  try {
    await callControl({ root: state.root, session: state.session }, { op: 'stop', services });
  } catch (error) {
    if (!(error instanceof SupervisorGone)) throw error;
    // Not listening there yet (still starting) or an older supervisor: the request file.
    sendDownRequest(file, state.supervisor.pid, {
      services,
      requestedBy: process.pid,
      session: state.session,
    });
  }
}

async function stopLive(
  state: SessionState,
  file: string,
  services: string[],
  longest: number,
): Promise<void> {
  if (services.length === 0) {
    await requestStop(file, state, []);
    const gone = await waitUntil(() => !isSameProcess(state.supervisor), longest);
    if (!gone) {
      // The supervisor does not answer: stop its services ourselves, then the supervisor.
      await reapSession(state, file, 2000, 'devlaunch down');
      await stopTree(
        { pid: state.supervisor.pid, pgid: null, startTime: state.supervisor.startTime },
        { signal: 'SIGTERM', timeoutMs: 2000 },
      );
    }
    return;
  }
  await requestStop(file, state, services);
  await waitUntil(() => {
    const now = readState(file);
    if (now.kind !== 'ok') return true;
    const asked = now.state.services.filter((s) => services.includes(s.name));
    return (
      asked.every((s) => s.state !== 'stopping' && s.state !== 'ready' && s.state !== 'starting') &&
      processesOf({ ...now.state, services: asked }, undefined, { partial: true }).length === 0
    );
  }, longest);
}
