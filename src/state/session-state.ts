/**
 * The session state file: what a session started, so that `status`, `env`, `down` and the next
 * `up` can find it (and its orphans, verified by pid and start time) after any kind of exit.
 * Written atomically; read defensively, because the file may come from a crashed or older
 * devlaunch: a bad file is reported as corrupt, never thrown.
 */
import { readFileSync, rmSync } from 'node:fs';
import * as z from 'zod/mini';
import { hideProtoKeys, restoreProtoKeys } from '../dict.js';
// zod/mini as the manifest configures it (English messages, no compiled parsers).
import '../manifest/zod.js';
import { writeFileAtomic } from './atomic-write.js';

export { listSessionFiles } from './session-files.js';

export type ServiceState =
  | 'pending'
  | 'starting'
  | 'ready'
  | 'stopping'
  | 'completed'
  | 'failed'
  | 'stopped';

export interface ServiceRecord {
  name: string;
  state: ServiceState;
  pid: number | null;
  /** Process group of the service (POSIX), null where there is none. */
  pgid: number | null;
  /** The spawned process's start time token (see ProcessInfo.startTime): pid reuse guard. */
  startTime: string | null;
  ports: Record<string, number>;
  url: string | null;
  /** ISO 8601. */
  startedAt: string | null;
  restarts: number;
  exitCode: number | null;
  env: Record<string, string>;
}

export interface SessionState {
  version: 1;
  project: string;
  session: string;
  dynamic: boolean;
  /** Absolute path of the manifest. */
  manifest: string;
  root: string;
  /** ISO 8601. */
  startedAt: string;
  supervisor: { pid: number; startTime: string };
  watchdog: { pid: number; startTime: string } | null;
  /** The dashboard's URL, token included (absent in states of older versions). */
  dashboard?: string | null;
  services: ServiceRecord[];
}

/** Built on first use: `status` with nothing recorded never reads a state. */
let schema: z.ZodMiniType<SessionState> | undefined;

function sessionStateSchema(): z.ZodMiniType<SessionState> {
  schema ??= buildSessionStateSchema();
  return schema;
}

function buildSessionStateSchema(): z.ZodMiniType<SessionState> {
  const pid = z.number().check(z.int(), z.positive());
  const identity = z.object({ pid, startTime: z.string() });

  const serviceRecord: z.ZodMiniType<ServiceRecord> = z.object({
    name: z.string(),
    state: z.enum(['pending', 'starting', 'ready', 'stopping', 'completed', 'failed', 'stopped']),
    pid: z.nullable(pid),
    pgid: z.nullable(pid),
    startTime: z.nullable(z.string()),
    ports: z.record(z.string(), z.number().check(z.int(), z.minimum(0), z.maximum(65535))),
    url: z.nullable(z.string()),
    startedAt: z.nullable(z.string()),
    restarts: z.number().check(z.int(), z.minimum(0)),
    exitCode: z.nullable(z.number().check(z.int())),
    env: z.record(z.string(), z.string()),
  });

  return z.object({
    version: z.literal(1),
    project: z.string(),
    session: z.string(),
    dynamic: z.boolean(),
    manifest: z.string(),
    root: z.string(),
    startedAt: z.string(),
    supervisor: identity,
    watchdog: z.nullable(identity),
    dashboard: z.optional(z.nullable(z.string())),
    services: z.array(serviceRecord),
  });
}

/** Atomic: a crash leaves the previous content or the new one, never a mix. Creates folders. */
export function writeState(file: string, state: SessionState): void {
  // Not flushed to disk: a power loss also ends every process the state names, and the state is
  // rewritten on every change of a service, where fsync would stall the supervisor.
  // Only the user may read it: it holds the dashboard's token and the services' variables.
  writeFileAtomic(file, `${JSON.stringify(state, null, 2)}\n`, { durable: false, mode: 0o600 });
}

export type ReadState =
  | { kind: 'none' }
  | { kind: 'ok'; state: SessionState }
  | { kind: 'corrupt'; file: string; reason: string };

/** Never throws: no file is `none`, anything unusable is `corrupt` with the reason. */
export function readState(file: string): ReadState {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { kind: 'none' };
    return { kind: 'corrupt', file, reason: `cannot be read (${code ?? String(error)})` };
  }
  if (text.trim() === '') return { kind: 'corrupt', file, reason: 'the file is empty' };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { kind: 'corrupt', file, reason: `not valid JSON (truncated?): ${detail}` };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { kind: 'corrupt', file, reason: 'not a JSON object' };
  }
  if ('version' in data && data.version !== 1) {
    const found = JSON.stringify(data.version);
    return {
      kind: 'corrupt',
      file,
      reason: `state version ${found} is not the supported version 1`,
    };
  }
  // Maps keyed by user names (ports, env) may hold `__proto__`, which zod would drop (dict.ts).
  const parsed = sessionStateSchema().safeParse(hideProtoKeys(data));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = issue === undefined || issue.path.length === 0 ? '' : ` at ${issue.path.join('.')}`;
    return {
      kind: 'corrupt',
      file,
      reason: `unexpected content${at}: ${issue?.message ?? 'invalid'}`,
    };
  }
  return { kind: 'ok', state: restoreProtoKeys(parsed.data) };
}

/** Removes a state file; no file is fine. */
export function removeState(file: string): void {
  rmSync(file, { force: true });
}
