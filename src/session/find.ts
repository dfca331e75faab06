/** The session `status`, `env` and `logs` talk about: the project's main session, else its newest `--dynamic` one. */
import { listSessionFiles, readState, type SessionState, sessionFile } from '../state/index.js';
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
