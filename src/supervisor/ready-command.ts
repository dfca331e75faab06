/** A `ready.command` check: runs once with the service's environment, stopped with the wait. */
import type { SpawnedService, StopTarget } from '../process/index.js';
import type { RunnerDeps, ServiceSpec } from './service-spec.js';

/** Runs the check command once; resolves with its exit code (null if it could not start). */
export async function runReadyCommand(
  spec: ServiceSpec,
  deps: Pick<RunnerDeps, 'spawn' | 'killTreeNow'>,
  command: string | string[],
  signal: AbortSignal,
): Promise<number | null> {
  let check: SpawnedService;
  try {
    check = await deps.spawn({
      name: `${spec.name} ready check`,
      command,
      cwd: spec.config.cwd,
      env: spec.env(),
    });
  } catch {
    return null;
  }
  check.stdout.resume();
  check.stderr.resume();
  const target: StopTarget = {
    pid: check.pid,
    pgid: check.pgid,
    startTime: check.startTime,
    session: spec.session,
  };
  const onAbort = () => void deps.killTreeNow(target);
  signal.addEventListener('abort', onAbort, { once: true });
  const exit = await check.exited;
  signal.removeEventListener('abort', onAbort);
  return exit.code;
}
