/** Shared setup of the process-layer e2e tests: fixture services started through spawnService. */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { type SpawnedService, spawnService } from '../../../src/process/index.js';
import { linesOf, track, trackMarker } from '../../helpers/processes.js';

export const fixtures = fileURLToPath(new URL('../../fixtures/', import.meta.url));
export const node = process.execPath;

export interface Started extends SpawnedService {
  /** Unique DEVLAUNCH_SESSION of this service: survivors(session) finds its processes. */
  session: string;
  waitForLine(re: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
}

/** Starts a fixture command as a service with a unique session mark; tracked for cleanup. */
export async function startService(
  command: string | string[],
  env: Record<string, string> = {},
): Promise<Started> {
  const session = `test-${randomUUID()}`;
  const spawned = await spawnService({
    name: 'fixture',
    command,
    cwd: fixtures,
    env: {
      ...(process.env as Record<string, string>),
      DEVLAUNCH_SESSION: session,
      DEVLAUNCH_SERVICE: 'fixture',
      ...env,
    },
  });
  track(spawned.pid);
  trackMarker(session);
  const out = linesOf(spawned.stdout);
  linesOf(spawned.stderr);
  return { ...spawned, session, waitForLine: (re, timeoutMs) => out.waitFor(re, timeoutMs) };
}

export const shellQuote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
