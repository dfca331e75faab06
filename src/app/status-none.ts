/**
 * `status` when nothing runs: the answer needs only the project's name and how the last session
 * ended. Kept apart from status.ts (and built into a bundle of its own, cli/status-none.ts) so
 * that this, the everyday case, loads neither the manifest's parser and schema nor the session
 * state's schema, the control channel or the process tools.
 */
import { existsSync } from 'node:fs';
import type { ServiceStatus } from '../control/protocol.js';
import { ExitCode } from '../errors.js';
import type { LoadOptions } from '../manifest/discover.js';
import { type LastSession, readLastSession } from '../state/last-session.js';
import { lockFile, sessionFile } from '../state/paths.js';
import { listSessionFiles } from '../state/session-files.js';
import { assertUsableState } from '../state/usable.js';
import { quickProject } from './quick-project.js';

/** LSB `status`: 3 "program is not running". */
export const NOT_RUNNING = 3;

export interface StatusJson {
  project: string;
  session: string | null;
  supervisor?: { pid: number } | null;
  /** The dashboard's URL (token included) while the session runs and serves one. */
  dashboard?: string | null;
  services: ServiceStatus[];
  lastSession: { endedAt: string; reason: string } | null;
}

export interface Status {
  /** `status --json`. */
  json: StatusJson;
  /** Why each unhealthy service is unhealthy, by name. */
  details: Map<string, string>;
  /** Whether a session is recorded, and its supervisor alive. */
  session: 'none' | 'live' | 'supervisor-gone' | 'supervisor-gone-nothing-left';
  /** With no session: how the last one ended, if known. */
  last: LastSession | null;
  /** The exit code, as LSB `status` has it. */
  exitCode: number;
}

/**
 * The status when, beyond doubt, nothing runs: the manifest is one of the plain shapes whose
 * name is read without the parser, `.devlaunch/` is usable, and it holds no session file and no
 * lock at all. undefined otherwise: `sessionStatus` (status.ts) then decides, the full way.
 * Throws what `sessionStatus` throws for the same cases (no manifest, unusable state folder).
 */
export function statusWhenNothingRuns(where: LoadOptions): Status | undefined {
  const quick = quickProject(where);
  if (quick === undefined) return undefined;
  assertUsableState(quick.root, { write: false });
  if (listSessionFiles(quick.root).length > 0 || existsSync(lockFile(quick.root))) return undefined;
  return noSession(quick.root, quick.name, false);
}

/** No session to describe: when and why the last one ended. `locked`: a live lock owner. */
export function noSession(root: string, project: string, locked: boolean): Status {
  const last = readLastSession(sessionFile(root));
  const lastSession = last && { endedAt: last.endedAt, reason: last.reason };
  return {
    json: { project, session: null, services: [], lastSession },
    details: new Map(),
    session: 'none',
    last,
    exitCode: locked ? ExitCode.serviceFailed : NOT_RUNNING,
  };
}
