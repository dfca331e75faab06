/**
 * Where devlaunch keeps its state: everything under `<project root>/.devlaunch/`, nothing
 * outside the project. The main session (the one the lock protects) lives at the top; each
 * `--dynamic` session, which runs beside others of the same project, gets its own folder.
 *
 *   .devlaunch/
 *     lock                       the main session's lock
 *     session.json               the main session
 *     logs/                      the main session's logs
 *     sessions/<id>/session.json a dynamic session
 *     sessions/<id>/logs/
 *     last-dynamic/logs/         the logs of the last `--dynamic` session that ended
 *
 * A dynamic session's folder is removed when the session ends; its logs move to last-dynamic/.
 */
import { join } from 'node:path';

/** Session ids become folder names: keep them to characters that are safe everywhere. */
const SAFE_ID = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

function sessionDir(root: string, session: string): string {
  if (!SAFE_ID.test(session)) throw new Error(`invalid session id: ${JSON.stringify(session)}`);
  return join(sessionsDir(root), session);
}

/** `root/.devlaunch` */
export function stateDir(root: string): string {
  return join(root, '.devlaunch');
}

/** `root/.devlaunch/sessions`: one folder per dynamic session. */
export function sessionsDir(root: string): string {
  return join(stateDir(root), 'sessions');
}

/** `root/.devlaunch/logs`, or `root/.devlaunch/sessions/<id>/logs` for a dynamic session. */
export function logsDir(root: string, session?: string): string {
  return session === undefined
    ? join(stateDir(root), 'logs')
    : join(sessionDir(root, session), 'logs');
}

/** `root/.devlaunch/session.json`, or `root/.devlaunch/sessions/<id>/session.json` (dynamic). */
export function sessionFile(root: string, session?: string): string {
  return session === undefined
    ? join(stateDir(root), 'session.json')
    : join(sessionDir(root, session), 'session.json');
}

/** `root/.devlaunch/lock` */
export function lockFile(root: string): string {
  return join(stateDir(root), 'lock');
}

/** `root/.devlaunch/last-dynamic/logs`: where the last finished dynamic session's logs are kept. */
export function lastDynamicLogsDir(root: string): string {
  return join(stateDir(root), 'last-dynamic', 'logs');
}

/** `root/.devlaunch/sessions/<id>`: a dynamic session's folder. */
export function dynamicSessionDir(root: string, session: string): string {
  return sessionDir(root, session);
}
