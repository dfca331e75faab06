/**
 * The process work of a service runner: spawning and attaching a process, waiting for its
 * readiness, sweeping the tree of one that exited, and stopping a tree. Each step answers
 * with what happened; the runner turns that into the state machine's next input.
 */
import { envName } from '../env/index.js';
import type { SpawnedService, StopTarget } from '../process/index.js';
import type { Exit, LifecycleInput } from './lifecycle.js';
import { describeCheck, formatMs, waitReady } from './readiness.js';
import { runReadyCommand } from './ready-command.js';
import type { Daemon, RunnerDeps, ServiceSpec } from './service-spec.js';

/** Spawns the service, then attaches its output, tells the watchdog, and reports it. Throws when it cannot start. */
export async function spawnService(spec: ServiceSpec, deps: RunnerDeps): Promise<SpawnedService> {
  const proc = await deps.spawn({
    name: spec.name,
    command: spec.command,
    cwd: spec.config.cwd,
    env: spec.env(),
  });
  deps.output.attach(spec.name, proc.stdout, 'stdout');
  deps.output.attach(spec.name, proc.stderr, 'stderr');
  watch(spec, deps, proc);
  deps.emit({
    type: 'service-starting',
    service: spec.name,
    command: Array.isArray(spec.command) ? spec.command.join(' ') : spec.command,
    pid: proc.pid,
  });
  return proc;
}

/**
 * Waits until `proc` is ready: the `ready` or `not-ready` input, or null when the wait ended
 * otherwise (the process exited — that is an input of its own — or the state moved on).
 */
export async function awaitReadiness(
  spec: ServiceSpec,
  deps: RunnerDeps,
  proc: SpawnedService,
  signal: AbortSignal,
): Promise<LifecycleInput | null> {
  const check = spec.config.ready;
  if (check === null) return { type: 'ready', proc, elapsedMs: 0 };
  const port = spec.ports.primary ?? Object.values(spec.ports)[0] ?? null;
  if (port !== null) watchForWrongPort(spec, deps, proc, port, signal);
  const outcome = await (deps.waitReady ?? waitReady)(check, {
    host: spec.config.host,
    port,
    onLine: (listener) => deps.output.onLine(spec.name, listener),
    runCheck: (command, checkSignal) => runReadyCommand(spec, deps, command, checkSignal),
    exited: proc.exit,
    signal,
    onWaiting: (elapsedMs, last) =>
      deps.emit({
        type: 'service-waiting',
        service: spec.name,
        check: describeCheck(check, port),
        last,
        elapsedMs,
      }),
  });
  if (outcome.ok) return { type: 'ready', proc, elapsedMs: outcome.elapsedMs };
  if (outcome.reason === 'timeout') {
    const last = outcome.last ? `; last: ${outcome.last}` : '';
    const reason = `not ready after ${formatMs(check.timeout)} (${describeCheck(check, port)}${last})`;
    return { type: 'not-ready', proc, reason };
  }
  return null;
}

/** First look 100 ms after spawn, then at doubling intervals up to 2 s. */
export const PORT_LOOKS = { firstMs: 100, maxIntervalMs: 2000, confirmMs: 500 };

/**
 * While the service is waited on: if its processes listen on other ports but not on its own,
 * say so (once per run) instead of leaving the user to a silent readiness timeout. It must
 * still be so `confirmMs` later: a server may open a debugger or reload port just before its
 * own.
 */
function watchForWrongPort(
  spec: ServiceSpec,
  deps: RunnerDeps,
  proc: SpawnedService,
  port: number,
  signal: AbortSignal,
): void {
  const lookup = deps.listeningPorts;
  if (lookup === undefined || signal.aborted) return;
  const timing = deps.portLooks ?? PORT_LOOKS;
  const own = new Set(Object.values(spec.ports));
  let delay = timing.firstMs;
  let wrongSince: number | null = null;
  const look = async () => {
    const ports = await lookup(proc.pid).catch(() => [] as number[]);
    if (signal.aborted) return;
    const others = ports.filter((p) => !own.has(p));
    const wrong = others.length > 0 && !ports.includes(port);
    wrongSince = wrong ? (wrongSince ?? performance.now()) : null;
    if (wrongSince !== null && performance.now() - wrongSince >= timing.confirmMs) {
      const variable = spec.ports.primary === port ? `PORT=${port}` : `port ${port}`;
      deps.emit({
        type: 'message',
        level: 'warn',
        text: `${spec.name} listens on ${others.join(', ')}, not on ${variable}: does its command use \${PORT}?`,
        hint: `devlaunch gives each service its port in $PORT (and ${envName(spec.name)}_PORT); the command must listen on it, e.g. --port \${PORT}.`,
      });
      return;
    }
    // Once it looks wrong, look again when the confirmation is due.
    delay = wrongSince !== null ? timing.confirmMs : Math.min(delay * 2, timing.maxIntervalMs);
    timer = setTimeout(look, delay);
  };
  let timer = setTimeout(look, delay);
  signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
}

/**
 * The direct child is gone, but a grandchild may still hold the port (or the output pipes):
 * sweep its tree, then let the last output arrive before the exit is judged.
 */
export async function sweepTree(
  spec: ServiceSpec,
  deps: RunnerDeps,
  proc: SpawnedService,
): Promise<void> {
  await deps.stopTree(stopTarget(spec, proc), {
    signal: spec.config.stop_signal,
    timeoutMs: spec.config.stop_timeout,
  });
  await proc.exited;
  deps.watchdog?.unwatch(proc.pid);
}

/**
 * Stops the tree of `proc` (stop_signal, SIGKILL after stop_timeout; `force`: SIGKILL now) and
 * reports it stopped. `exit` non-null: the process itself is gone already, only its tree is
 * swept (SIGKILL) and nothing is reported.
 */
export async function takeDownTree(
  spec: ServiceSpec,
  deps: RunnerDeps,
  proc: SpawnedService,
  exit: Exit | null,
  force: boolean,
): Promise<{ forced: boolean; elapsedMs: number }> {
  const begun = performance.now();
  const target = stopTarget(spec, proc);
  if (exit !== null) {
    await deps.stopTree(target, { signal: 'SIGKILL', timeoutMs: 0, force: true });
    return { forced: false, elapsedMs: performance.now() - begun };
  }
  const { forced } = await deps.stopTree(target, {
    signal: spec.config.stop_signal,
    timeoutMs: spec.config.stop_timeout,
    force,
  });
  await proc.exited;
  deps.watchdog?.unwatch(proc.pid);
  const elapsedMs = performance.now() - begun;
  deps.emit({ type: 'service-stopped', service: spec.name, forced, elapsedMs });
  return { forced, elapsedMs };
}

export function stopTarget(spec: ServiceSpec, proc: SpawnedService): StopTarget {
  // `service` limits the session-mark sweep to this service's own processes.
  return {
    pid: proc.pid,
    pgid: proc.pgid,
    startTime: proc.startTime,
    session: spec.session,
    service: spec.name,
  };
}

/** The daemon `proc` left on one of the service's ports when it exited 0, or null (deps.findDaemon). */
export async function daemonOf(
  spec: ServiceSpec,
  deps: RunnerDeps,
  exit: Exit,
  proc: SpawnedService,
  opts: { waitMs: number; signal: AbortSignal },
): Promise<Daemon | null> {
  const find = deps.findDaemon;
  if (find === undefined || exit.code !== 0 || Object.keys(spec.ports).length === 0) return null;
  return find(spec, proc, opts).catch(() => null);
}

/** The watchdog follows the daemon instead of the process that exited; the user is told. */
export function adoptDaemon(
  spec: ServiceSpec,
  deps: RunnerDeps,
  exited: SpawnedService,
  daemon: Daemon,
): void {
  const { proc } = daemon;
  deps.watchdog?.unwatch(exited.pid);
  watch(spec, deps, proc);
  deps.emit({
    type: 'message',
    level: 'info',
    text: `${spec.name} daemonized: pid ${proc.pid} (${daemon.command}) holds port ${daemon.port}; it is ${spec.name} from now on, and stops with it`,
  });
}

/** The watchdog stops `proc`'s tree as the service's own if devlaunch dies. */
function watch(spec: ServiceSpec, deps: RunnerDeps, proc: SpawnedService): void {
  deps.watchdog?.watch({
    pid: proc.pid,
    pgid: proc.pgid,
    startTime: proc.startTime,
    signal: spec.config.stop_signal,
    timeoutMs: spec.config.stop_timeout,
    session: spec.session,
  });
}
