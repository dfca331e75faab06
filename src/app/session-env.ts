/**
 * Who a new session is and what its services inherit: its id (fresh, or handed down by the
 * `up -d` that started this background supervisor), and devlaunch's environment without what
 * marks a background supervisor.
 */
import { randomBytes } from 'node:crypto';
import type { Terminal } from './options.js';

export function newSessionId(): string {
  return randomBytes(6).toString('hex');
}

/**
 * A background supervisor started by `up -d` learns its session from its parent, which has
 * already planned and applied the ports (asking on the terminal where needed) and handed the
 * plan over in a file.
 */
export interface DetachedChild {
  session: string;
  dynamic: boolean;
  /** The launch plan file (app/launch.ts `handOver`). */
  plan: string | null;
}

export function detachedChild(
  env: Readonly<Record<string, string | undefined>>,
): DetachedChild | null {
  const session = env.DEVLAUNCH_DETACHED_SESSION;
  if (!session) return null;
  return {
    session,
    dynamic: env.DEVLAUNCH_DETACHED_DYNAMIC === '1',
    plan: env.DEVLAUNCH_DETACHED_PLAN || null,
  };
}

/** Set by `up -d` for its background supervisor only: never passed on to what it starts. */
const SUPERVISOR_ONLY = [
  'DEVLAUNCH_HANDOFF',
  'DEVLAUNCH_DETACHED_SESSION',
  'DEVLAUNCH_DETACHED_DYNAMIC',
  'DEVLAUNCH_DETACHED_PLAN',
  'DEVLAUNCH_ROLE',
];

/**
 * The environment services (and the watchdog) inherit: devlaunch's own, without what marks a
 * background supervisor (the services must not look like one to a sweep), and with FORCE_COLOR
 * when devlaunch colours their output, so that they colour too.
 */
export function inheritedEnv(term: Terminal, color: boolean): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(term.env)) {
    if (v !== undefined && !SUPERVISOR_ONLY.includes(k)) env[k] = v;
  }
  if (color && env.FORCE_COLOR === undefined) env.FORCE_COLOR = '1';
  return env;
}
