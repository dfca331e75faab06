/**
 * Live health for `status`: a service that was ready is probed again, now — its own `ready`
 * check, once, within a short limit — and is unhealthy when that fails or when its processes
 * are stopped (SIGSTOP: the port stays open, nothing answers). A hung backend then shows
 * `unhealthy` instead of the `ready` it once was.
 */
import type { ReadyCheck } from '../manifest/types.js';
import { proberFor } from './readiness.js';

export const HEALTH_TIMEOUT_MS = 2000;

export interface Health {
  /** null: nothing to probe (no check that can be repeated, e.g. `ready: log`). */
  healthy: boolean | null;
  /** Why not healthy, or what the probe saw. */
  detail?: string;
}

export interface HealthTarget {
  check: ReadyCheck | null;
  host: string;
  port: number | null;
  pid: number | null;
}

export interface HealthDeps {
  /** Stopped pids in the tree of `pid` (see process/stopped.ts). */
  stopped: (pid: number) => number[];
  /** Runs a `ready.command` once; resolves with its exit code (null: could not run, or aborted). */
  runCommand: (command: string | string[], signal: AbortSignal) => Promise<number | null>;
  timeoutMs?: number;
}

export async function probeHealth(target: HealthTarget, deps: HealthDeps): Promise<Health> {
  const timeoutMs = deps.timeoutMs ?? HEALTH_TIMEOUT_MS;
  if (target.pid !== null) {
    const stopped = deps.stopped(target.pid);
    if (stopped.length > 0) {
      return { healthy: false, detail: `process stopped (pid ${stopped.join(', ')}: SIGSTOP?)` };
    }
  }
  const check = target.check;
  if (check === null || 'log' in check) return { healthy: null };
  const limit = new AbortController();
  const timedOut = new Promise<Health>((resolve) => {
    const timer = setTimeout(() => {
      limit.abort();
      resolve({ healthy: false, detail: `no answer within ${timeoutMs / 1000}s` });
    }, timeoutMs);
    limit.signal.addEventListener('abort', () => clearTimeout(timer));
  });
  const probe = async (): Promise<Health> => {
    const prober = proberFor(check, target.host, target.port);
    if (prober !== null) {
      const result = await prober(timeoutMs);
      return { healthy: result.ok, detail: result.detail };
    }
    if ('command' in check) {
      const code = await deps.runCommand(check.command, limit.signal);
      return { healthy: code === 0, detail: `exit code ${code ?? 'none'}` };
    }
    return { healthy: null };
  };
  try {
    return await Promise.race([probe(), timedOut]);
  } finally {
    limit.abort();
  }
}
