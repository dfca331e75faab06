/**
 * `devlaunch down [SERVICE...]`: stop the project's running session from anywhere. A live
 * supervisor is asked to stop (it stops its services in reverse dependency order); a session
 * whose supervisor is gone is stopped here, process by process, each proven ours by pid and
 * start time. Returns once every process is gone and every port binds.
 */
import { ExitCode } from '../../errors.js';
import { loadManifest } from '../../manifest/index.js';
import type { Manifest } from '../../manifest/types.js';
import { checkServiceNames } from '../../plan/graph.js';
import { isSameProcess } from '../../process/index.js';
import { sendDownRequest } from '../../session/control.js';
import { inspectSessions, processesOf, reapSession } from '../../session/reap.js';
import { waitUntil } from '../../session/wait.js';
import { readState, type SessionState } from '../../state/index.js';
import type { DownArgs } from '../args.js';
import { say, warn } from '../say.js';

export async function run(args: DownArgs): Promise<number> {
  const manifest = loadManifest({ file: args.file, cwd: process.cwd(), env: process.env });
  checkServiceNames(manifest, args.services);
  let acted = false;
  for (const found of inspectSessions(manifest.root)) {
    if (found.kind === 'corrupt') {
      warn(
        args,
        `the session state ${found.file} was unreadable (${found.reason}); moved to ${found.movedTo}. Nothing it names was stopped.`,
      );
      continue;
    }
    if (found.kind === 'live') {
      if (found.state.dynamic && !args.dynamic) continue; // parallel CI runs are not ours to stop
      acted = true;
      await stopLive(found.state, found.file, args.services, graceOf(manifest));
      say(
        args,
        args.services.length > 0
          ? `stopped ${args.services.join(', ')} and what depends on it`
          : `stopped session ${found.state.session} of ${found.state.project}`,
      );
      continue;
    }
    acted = true;
    const stopped = await reapSession(found.state, found.file, manifest.stop_timeout);
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

/** The longest a clean stop can take: every stop_timeout in turn, plus margin. */
function graceOf(manifest: Manifest): number {
  return Object.values(manifest.services).reduce((sum, s) => sum + s.stop_timeout, 0) + 5000;
}

async function stopLive(
  state: SessionState,
  file: string,
  services: string[],
  longest: number,
): Promise<void> {
  sendDownRequest(file, state.supervisor.pid, { services, requestedBy: process.pid });
  if (services.length === 0) {
    const gone = await waitUntil(() => !isSameProcess(state.supervisor), longest);
    if (!gone) {
      // The supervisor does not answer: stop its services ourselves, then the supervisor.
      await reapSession(state, file, 2000);
    }
    return;
  }
  await waitUntil(() => {
    const now = readState(file);
    if (now.kind !== 'ok') return true;
    return (
      processesOf({
        ...now.state,
        services: now.state.services.filter((s) => services.includes(s.name)),
      }).length === 0 &&
      now.state.services
        .filter((s) => services.includes(s.name))
        .every((s) => s.state !== 'stopping' && s.state !== 'ready' && s.state !== 'starting')
    );
  }, longest);
}
