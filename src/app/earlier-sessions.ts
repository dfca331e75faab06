/**
 * Earlier sessions of the project, as a new one starts: a live main session refuses it (exit 3);
 * the leftovers of those whose supervisor is gone are ours and are stopped without asking.
 */
import { DevlaunchError } from '../errors.js';
import type { Manifest } from '../manifest/types.js';
import type { EventSink } from '../output/events.js';
import { type SessionState, sessionFile } from '../state/index.js';
import type { Identity } from './claim.js';
import { inspectSessions, reapSession } from './reap.js';

/**
 * Earlier sessions of the project, looked at before this one is claimed: a live main session
 * means this one must not start (exit 3); an unreadable state is reported; the sessions whose
 * supervisor is gone are returned, for `reapEarlier` once this session is claimed.
 */
export function earlierSessions(
  manifest: Manifest,
  emit: EventSink,
  handoff: Identity | null = null,
): SessionState[] {
  const stale: SessionState[] = [];
  for (const found of inspectSessions(manifest.root)) {
    if (found.kind === 'corrupt') {
      emit({
        type: 'message',
        level: 'warn',
        text: `the session state ${found.file} was unreadable (${found.reason}); it was moved to ${found.movedTo} and nothing it names was stopped`,
        hint: 'If processes of an earlier session still hold ports, devlaunch ports shows them.',
      });
      continue;
    }
    // The `up -d` that started this background supervisor: its claim is being handed over.
    const sup = found.state.supervisor;
    if (handoff && sup.pid === handoff.pid && sup.startTime === handoff.startTime) continue;
    if (found.kind === 'live' && !found.state.dynamic) throw sessionRunning(found.state);
    if (found.kind === 'stale') stale.push(found.state);
  }
  return stale;
}

/**
 * Leftovers of earlier sessions whose supervisor is gone are ours: stop them without asking.
 * Not cut short by a down: what was begun is finished, so nothing is left half stopped.
 */
export async function reapEarlier(
  manifest: Manifest,
  emit: EventSink,
  stale: readonly SessionState[],
): Promise<void> {
  for (const state of stale) {
    const stopped = await reapSession(
      state,
      sessionFile(manifest.root, state.dynamic ? state.session : undefined),
      (service) => manifest.services[service]?.stop_timeout ?? manifest.stop_timeout,
      'the next devlaunch up',
    );
    if (stopped.length > 0) {
      emit({
        type: 'message',
        level: 'info',
        text: `stopped ${stopped.length} leftover process${stopped.length === 1 ? '' : 'es'} of an earlier session (${stopped.map((p) => `${p.service} pid ${p.pid}`).join(', ')})`,
      });
    }
  }
}

export function sessionRunning(state: SessionState): DevlaunchError {
  return new DevlaunchError(
    'SESSION_RUNNING',
    `a session of ${state.project} is already running (pid ${state.supervisor.pid}, since ${state.startedAt})`,
    {
      hint: 'Stop it with devlaunch down, see it with devlaunch status, or start a separate one with --dynamic.',
    },
  );
}
