/**
 * `devlaunch down [SERVICE...]`: stop the project's running session from anywhere. A live
 * supervisor is asked to stop (it stops its services in reverse dependency order); a session
 * whose supervisor is gone is stopped here, process by process, each proven ours by pid and
 * start time. Returns once every process is gone and every port binds.
 */

import { sendDownRequest } from '../../app/control.js';
import { liveLockOwner } from '../../app/find.js';
import type { DownArgs } from '../../app/options.js';
import { inspectSessions, processesOf, reapSession, type StopGrace } from '../../app/reap.js';
import { waitUntil } from '../../app/wait.js';
import { callControl, SupervisorGone } from '../../control/client.js';
import { ExitCode } from '../../errors.js';
import { loadManifest } from '../../manifest/index.js';
import type { Manifest } from '../../manifest/types.js';
import { checkServiceNames, dependentsOf } from '../../plan/graph.js';
import { isSameProcess, stopTree } from '../../process/index.js';
import { readState, type SessionState, sessionFile } from '../../state/index.js';
import { say, warn } from '../say.js';

export async function run(args: DownArgs): Promise<number> {
  const manifest = loadManifest({ file: args.file, cwd: process.cwd(), env: process.env });
  checkServiceNames(manifest, args.services);
  const grace: StopGrace = (service) =>
    manifest.services[service]?.stop_timeout ?? manifest.stop_timeout;
  let acted = false;
  for (const found of inspectSessions(manifest.root)) {
    if (found.kind === 'corrupt') {
      warn(
        args,
        `the session state ${found.file} was unreadable (${found.reason}); moved to ${found.movedTo}. Nothing it names was stopped.`,
      );
      if (found.file === sessionFile(manifest.root) && (await stopLockOwner(manifest, args))) {
        acted = true;
      }
      continue;
    }
    if (found.kind === 'live') {
      if (found.state.dynamic && !args.dynamic) continue; // parallel CI runs are not ours to stop
      acted = true;
      await stopLive(found.state, found.file, withDependents(manifest, args.services), manifest);
      say(
        args,
        args.services.length > 0
          ? `stopped ${args.services.join(', ')} and what depends on it`
          : `stopped session ${found.state.session} of ${found.state.project}`,
      );
      continue;
    }
    acted = true;
    const stopped = await reapSession(found.state, found.file, grace);
    say(
      args,
      stopped.length > 0
        ? `stopped ${stopped.length} leftover process${stopped.length === 1 ? '' : 'es'} of session ${found.state.session} (its supervisor was gone): ${stopped.map((p) => `${p.service} pid ${p.pid}`).join(', ')}`
        : `session ${found.state.session} had ended; removed its state`,
    );
  }
  if (!acted) say(args, `nothing of ${manifest.name} is running`);
  return ExitCode.ok;
}

function withDependents(manifest: Manifest, services: string[]): string[] {
  return [...new Set(services.flatMap((s) => [s, ...dependentsOf(manifest, s)]))];
}

/** The longest a clean stop can take: every stop_timeout in turn, plus margin. */
function graceOf(manifest: Manifest): number {
  return Object.values(manifest.services).reduce((sum, s) => sum + s.stop_timeout, 0) + 5000;
}

/**
 * The main session's state was unreadable, but the lock names its supervisor (pid and start
 * time, so never a stranger): ask it to stop as usual. Returns whether there was one.
 */
async function stopLockOwner(manifest: Manifest, args: DownArgs): Promise<boolean> {
  const owner = liveLockOwner(manifest.root);
  if (owner === null) return false;
  const gone = await askToStop(sessionFile(manifest.root), owner, graceOf(manifest));
  if (gone) say(args, `stopped the session of ${manifest.name} (supervisor pid ${owner.pid})`);
  else
    warn(
      args,
      `the supervisor of ${manifest.name} (pid ${owner.pid}) did not stop within ${graceOf(manifest)} ms`,
    );
  return true;
}

/** Asks a live supervisor to stop its whole session; resolves whether it exited in time. */
async function askToStop(
  file: string,
  supervisor: { pid: number; startTime: string },
  timeoutMs: number,
): Promise<boolean> {
  sendDownRequest(file, supervisor.pid, { services: [], requestedBy: process.pid });
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
    sendDownRequest(file, state.supervisor.pid, { services, requestedBy: process.pid });
  }
}

async function stopLive(
  state: SessionState,
  file: string,
  services: string[],
  manifest: Manifest,
): Promise<void> {
  const longest = graceOf(manifest);
  if (services.length === 0) {
    await requestStop(file, state, []);
    const gone = await waitUntil(() => !isSameProcess(state.supervisor), longest);
    if (!gone) {
      // The supervisor does not answer: stop its services ourselves, then the supervisor.
      await reapSession(state, file, 2000);
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
