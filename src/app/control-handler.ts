/**
 * What a running session does for the control channel: `restart`, `up SERVICE` (start),
 * `down [SERVICE]` (stop) and `status` with live health, on behalf of a CLI command run in
 * another terminal. The supervisor does the work; this turns requests into its calls and its
 * runners into answers, and forwards the progress of the services concerned.
 */
import type {
  ControlRequest,
  OutcomeResult,
  PingResult,
  PortOptions,
  ServiceOutcome,
  StatusResult,
} from '../control/protocol.js';
import { type ControlHandler, type ControlServer, serveControl } from '../control/server.js';
import { DevlaunchError } from '../errors.js';
import type { Manifest } from '../manifest/types.js';
import type { EventSink, SupervisorEvent } from '../output/events.js';
import { checkServiceNames, dependentsOf, withDependencies } from '../plan/graph.js';
import { killTreeNow, spawnService, stoppedInTree } from '../process/index.js';
import { type Health, type HealthDeps, probeHealth } from '../supervisor/health.js';
import type { ServiceRunner } from '../supervisor/service-runner.js';
import type { Supervisor } from '../supervisor/supervisor.js';

export interface ControlContext {
  manifest: Manifest;
  supervisor: Supervisor;
  session: string;
  /**
   * Adds services of the manifest the session does not run yet (and what they need) to it,
   * pending; resolves with warnings for the caller (grow-session.ts). Without it, `up SERVICE`
   * for them is refused.
   */
  grow?: (names: readonly string[], ports?: PortOptions) => Promise<SupervisorEvent[]>;
  health: {
    stopped: HealthDeps['stopped'];
    /** Runs a service's `ready.command` once, in its folder and environment. */
    runCommand: (
      command: string | string[],
      signal: AbortSignal,
      where: { cwd: string; env: Record<string, string> },
    ) => Promise<number | null>;
  };
}

export function controlHandler(ctx: ControlContext): ControlHandler {
  const { manifest, supervisor } = ctx;
  const inSession = () => supervisor.services.map((r) => r.name);

  /** Forwards what happens to `names` while `work` runs; remembers why any of them failed. */
  const following = async (
    names: readonly string[],
    send: (event: SupervisorEvent) => void,
    work: () => Promise<void>,
  ): Promise<Map<string, string>> => {
    const failures = new Map<string, string>();
    const unsubscribe = supervisor.subscribe((event) => {
      if (!('service' in event) || !names.includes(event.service)) return;
      if (event.type === 'service-failed') failures.set(event.service, event.reason);
      send(event);
    });
    try {
      await work();
    } catch (error) {
      // Not ready in the end: the outcome says which and why (exit 1), not an error.
      if (!(error instanceof DevlaunchError && error.code === 'SERVICE_FAILED')) throw error;
    } finally {
      unsubscribe();
    }
    return failures;
  };

  const outcomes = (names: readonly string[], failures: Map<string, string>): OutcomeResult => ({
    services: supervisor.services
      .filter((r) => names.includes(r.name))
      .map((r) => outcomeOf(r, failures.get(r.name))),
  });

  const notInSession = (names: readonly string[], verb: string): void => {
    const running = inSession();
    const missing = names.filter((n) => !running.includes(n));
    if (missing.length > 0) {
      throw new DevlaunchError(
        'USAGE',
        `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not part of the running session of ${manifest.name}, so there is nothing to ${verb}`,
        { hint: `The session runs ${running.join(', ')}.` },
      );
    }
  };

  return async (request: ControlRequest, send) => {
    switch (request.op) {
      case 'ping':
        return {
          pid: process.pid,
          session: ctx.session,
          project: manifest.name,
        } satisfies PingResult;
      case 'status':
        return status(ctx);
      case 'restart': {
        checkServiceNames(manifest, request.services);
        const names = request.services.length === 0 ? inSession() : request.services;
        notInSession(names, 'restart');
        const failures = await following(names, send, () => supervisor.restart(names));
        return outcomes(names, failures);
      }
      case 'start': {
        checkServiceNames(manifest, request.services);
        // The supervisor starts what they need too; the outcome covers all of it.
        const names = withDependencies(manifest, request.services);
        const grow = ctx.grow;
        if (grow === undefined) notInSession(names, 'start');
        const failures = await following(names, send, async () => {
          // Port changes for the newcomers reach the caller like their start-up does.
          if (grow) for (const warning of await grow(names, request.ports)) send(warning);
          await supervisor.start(names);
        });
        return outcomes(names, failures);
      }
      case 'stop': {
        if (request.services.length === 0) {
          supervisor.requestStop({ kind: 'down' });
          return { services: [] } satisfies OutcomeResult;
        }
        checkServiceNames(manifest, request.services);
        const running = inSession();
        const asked = request.services.filter((n) => running.includes(n));
        // Not part of this session: nothing to stop (an empty list would mean everything).
        if (asked.length === 0) return { services: [] } satisfies OutcomeResult;
        const names = [...new Set(asked.flatMap((s) => [s, ...dependentsOf(manifest, s)]))];
        // The supervisor stops what depends on them first.
        const failures = await following(names, send, () => supervisor.stop(asked));
        return outcomes(names, failures);
      }
    }
  };
}

/**
 * The control channel `restart`, `up SERVICE`, `down` and `status` reach this session by. A
 * session runs without it (with a warning) rather than not at all: `down` still has its
 * state-based path.
 */
export async function openControl(
  manifest: Manifest,
  id: string,
  supervisor: Supervisor,
  emit: EventSink,
  grow?: ControlContext['grow'],
): Promise<ControlServer | null> {
  const handler = controlHandler({
    manifest,
    supervisor,
    session: id,
    ...(grow === undefined ? {} : { grow }),
    health: { stopped: stoppedInTree, runCommand: runOnce },
  });
  try {
    return await serveControl({ root: manifest.root, session: id, handler });
  } catch (error) {
    emit({
      type: 'message',
      level: 'warn',
      text: `the control channel could not be opened (${error instanceof Error ? error.message : String(error)}); restart, up SERVICE and live status will not reach this session`,
    });
    return null;
  }
}

/** A `ready.command` run once for a health probe, stopped (whole tree) when aborted. */
async function runOnce(
  command: string | string[],
  signal: AbortSignal,
  where: { cwd: string; env: Record<string, string> },
): Promise<number | null> {
  let check: Awaited<ReturnType<typeof spawnService>>;
  try {
    check = await spawnService({ name: 'health check', command, ...where });
  } catch {
    return null;
  }
  check.stdout.resume();
  check.stderr.resume();
  const onAbort = () =>
    void killTreeNow({ pid: check.pid, pgid: check.pgid, startTime: check.startTime });
  signal.addEventListener('abort', onAbort, { once: true });
  const exit = await check.exited;
  signal.removeEventListener('abort', onAbort);
  return signal.aborted ? null : exit.code;
}

function outcomeOf(r: ServiceRunner, failure: string | undefined): ServiceOutcome {
  const ok = r.state === 'ready' || r.state === 'completed';
  return {
    name: r.name,
    ok,
    // One that failed may still be being taken down (never ready, its process still ran).
    state: !ok && failure !== undefined ? 'failed' : r.state,
    pid: r.pid,
    ports: r.spec.ports,
    url: r.spec.url,
    ...(ok ? {} : { reason: failure ?? `it is ${r.state}` }),
  };
}

async function status(ctx: ControlContext): Promise<StatusResult> {
  const runners = ctx.supervisor.services;
  const health = await Promise.all(
    runners.map((r) =>
      r.state === 'ready'
        ? probeHealth(
            {
              check: r.spec.config.ready,
              host: r.spec.config.host,
              port: r.spec.ports.primary ?? Object.values(r.spec.ports)[0] ?? null,
              pid: r.pid,
            },
            {
              stopped: ctx.health.stopped,
              runCommand: (command, signal) =>
                ctx.health.runCommand(command, signal, {
                  cwd: r.spec.config.cwd,
                  env: r.spec.env(),
                }),
            },
          )
        : Promise.resolve<Health>({ healthy: null }),
    ),
  );
  return {
    project: ctx.manifest.name,
    session: ctx.session,
    supervisor: { pid: process.pid },
    services: runners.map((r, i) => {
      const h: Health = health[i] ?? { healthy: null };
      return {
        name: r.name,
        state: h.healthy === false ? 'unhealthy' : r.state,
        healthy: h.healthy,
        ...(h.detail === undefined ? {} : { healthDetail: h.detail }),
        pid: r.pid,
        ports: r.spec.ports,
        url: r.spec.url,
        startedAt: r.startedAt,
        restarts: r.restarts,
        exitCode: r.exitCode,
      };
    }),
  };
}
