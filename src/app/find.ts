/** The session `status`, `env` and `logs` talk about: the project's main session, else its newest `--dynamic` one. */
import { readFileSync } from 'node:fs';
import { isSameProcess } from '../process/index.js';
import {
  type LockOwner,
  listSessionFiles,
  lockFile,
  readState,
  type SessionState,
  sessionFile,
} from '../state/index.js';
import { supervisorAlive } from './reap.js';

export interface FoundSession {
  state: SessionState;
  file: string;
  /** Whether its supervisor still runs (false: killed hard; `down` cleans up). */
  live: boolean;
}

export function findSession(root: string): FoundSession | null {
  const main = sessionFile(root);
  const candidates: FoundSession[] = [];
  for (const file of listSessionFiles(root)) {
    const read = readState(file);
    if (read.kind !== 'ok') continue;
    candidates.push({ state: read.state, file, live: supervisorAlive(read.state) });
  }
  const preferred =
    candidates.find((c) => c.file === main) ??
    candidates
      .filter((c) => c.live)
      .sort((a, b) => b.state.startedAt.localeCompare(a.state.startedAt))[0];
  return preferred ?? null;
}

/** The recorded session with this id whose supervisor still runs, or null. */
export function findSessionById(root: string, id: string): FoundSession | null {
  for (const file of listSessionFiles(root)) {
    const read = readState(file);
    if (read.kind === 'ok' && read.state.session === id && supervisorAlive(read.state)) {
      return { state: read.state, file, live: true };
    }
  }
  return null;
}

/** Session files that cannot be used (truncated, edited by hand, another version), with why. */
export function unreadableSessions(root: string): { file: string; reason: string }[] {
  return listSessionFiles(root).flatMap((file) => {
    const read = readState(file);
    return read.kind === 'corrupt' ? [{ file, reason: read.reason }] : [];
  });
}

/**
 * The owner of the project lock while it still runs (pid and start time both match), else
 * null. It is the main session's supervisor: found this way even when its state is unreadable.
 */
export function liveLockOwner(root: string): LockOwner | null {
  let data: Partial<LockOwner> | null;
  try {
    data = JSON.parse(readFileSync(lockFile(root), 'utf8')) as Partial<LockOwner> | null;
  } catch {
    return null;
  }
  if (
    typeof data?.pid !== 'number' ||
    typeof data.startTime !== 'string' ||
    typeof data.startedAt !== 'string'
  ) {
    return null;
  }
  const owner = { pid: data.pid, startTime: data.startTime, startedAt: data.startedAt };
  return isSameProcess(owner) ? owner : null;
}
