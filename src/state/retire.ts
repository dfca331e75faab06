/**
 * The end of a `--dynamic` session: its folder (`.devlaunch/sessions/<id>/`) goes, so parallel CI
 * runs do not pile up folders; its logs move to `.devlaunch/last-dynamic/logs/` (replacing the
 * previous ones), where `devlaunch logs` finds the last finished run. Best effort: a folder
 * that cannot be removed (Windows keeps open files) is left for the next cleanup.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { dynamicSessionDir, lastDynamicLogsDir, logsDir } from './paths.js';

export function retireSession(state: { root: string; session: string; dynamic: boolean }): void {
  if (!state.dynamic) return;
  try {
    const logs = logsDir(state.root, state.session);
    // A detached supervisor's own output (why it stopped) is kept with the service logs.
    const own = join(dynamicSessionDir(state.root, state.session), 'supervisor.log');
    if (existsSync(own)) {
      mkdirSync(logs, { recursive: true });
      renameSync(own, join(logs, 'supervisor.log'));
    }
    if (existsSync(logs)) {
      const last = lastDynamicLogsDir(state.root);
      const parked = `${dirname(last)}.${state.session}.tmp`;
      // The old logs go aside first, so a reader sees old or new logs, never a mix.
      mkdirSync(dirname(last), { recursive: true });
      renameSync(logs, parked);
      rmSync(last, { recursive: true, force: true });
      renameSync(parked, last);
      writeFileSync(join(dirname(last), 'session'), `${state.session}\n`);
    }
    rmSync(dynamicSessionDir(state.root, state.session), { recursive: true, force: true });
  } catch {
    // Left for the next `up` or `down` of the project, which retires stale sessions again.
  }
}

/** The id of the dynamic session whose logs last-dynamic/ holds, or null. */
export function lastDynamicSession(root: string): string | null {
  try {
    return readFileSync(join(dirname(lastDynamicLogsDir(root)), 'session'), 'utf8').trim() || null;
  } catch {
    return null;
  }
}
