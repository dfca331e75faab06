/**
 * Serves the session's dashboard (src/dashboard/) and links it to the session: the services'
 * state, their output, their log files, and the restart/stop/start actions. The dashboard code
 * is imported here lazily, so a session without one never loads it.
 */
import type { Dashboard } from '../dashboard/server.js';
import type { SessionEvent, SessionLink } from '../dashboard/session-backend.js';
import type { ServiceView } from '../dashboard/types.js';
import type { Manifest } from '../manifest/types.js';
import type { EventSink } from '../output/events.js';
import type { ServiceOutput } from '../output/index.js';
import { dependentsOf, startOrder, withDependencies } from '../plan/graph.js';
import { describeExit } from '../process/index.js';
import { exitOf, type Lifecycle } from '../supervisor/lifecycle.js';
import { describeCheck } from '../supervisor/readiness.js';
import type { ServiceRunner } from '../supervisor/service-runner.js';
import type { Supervisor } from '../supervisor/supervisor.js';

/** The session's events, for whoever listens besides the terminal reporter. */
export class EventTee {
  readonly #listeners = new Set<(event: SessionEvent) => void>();

  /** Wraps the reporter's sink: every event goes to it first, then to each listener. */
  wrap(sink: EventSink): EventSink {
    return (event) => {
      sink(event);
      for (const listener of this.#listeners) listener(event);
    };
  }

  subscribe(listener: (event: SessionEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }
}

export interface SessionDashboardOptions {
  manifest: Manifest;
  session: string;
  port: number;
  logDir: string | null;
  output: ServiceOutput;
  events: EventTee;
  supervisor: () => Supervisor;
  emit: EventSink;
}

export async function serveDashboard(opts: SessionDashboardOptions): Promise<Dashboard | null> {
  const { startDashboard } = await import('../dashboard/server.js');
  try {
    return await startDashboard({
      port: opts.port,
      backend: async () => {
        const { sessionBackend } = await import('../dashboard/session-backend.js');
        return sessionBackend(sessionLink(opts));
      },
      onActionError: (action, service, error) =>
        opts.emit({
          type: 'message',
          level: 'warn',
          text: `dashboard: ${action} ${service} failed: ${error instanceof Error ? error.message : String(error)}`,
        }),
    });
  } catch (error) {
    // The services matter more than their dashboard: say why there is none and go on.
    const code = (error as NodeJS.ErrnoException).code;
    opts.emit({
      type: 'message',
      level: 'warn',
      text: `no dashboard: port ${opts.port} on 127.0.0.1 ${code === 'EADDRINUSE' ? 'is in use' : `cannot be bound (${code ?? String(error)})`}`,
      hint: 'Change dashboard: in launcher.yaml (a port, or true for any free one), or use --no-dashboard.',
    });
    return null;
  }
}

function sessionLink(opts: SessionDashboardOptions): SessionLink {
  const { manifest } = opts;
  const runners = () => opts.supervisor().services;
  const runner = (name: string) => runners().find((r) => r.name === name);
  // How each service last ended, kept across its restarts (its state forgets it on a new run).
  const lastExit = new Map<string, string>();
  const remember = (r: ServiceRunner, state: Lifecycle) => {
    const exit = exitOf(state);
    if (exit !== null) lastExit.set(r.name, describeExit(exit.code, exit.signal));
  };
  for (const r of runners()) {
    remember(r, r.current);
    r.onChange((state) => remember(r, state));
  }
  /** Starts what is not running, in dependency order (as `up SERVICE` does). */
  const start = async (names: readonly string[]) => {
    for (const name of startOrder(manifest, [...names])) {
      const r = runner(name);
      if (r?.ended) await r.start();
    }
  };
  return {
    project: manifest.name,
    session: opts.session,
    logDir: opts.logDir,
    services: () => runners().map((r) => view(r, lastExit.get(r.name) ?? null)),
    subscribe(listener) {
      const offs = [
        opts.events.subscribe(listener),
        ...runners().map((r) => r.onChange(() => listener({ type: 'service-changed' }))),
      ];
      return () => {
        for (const off of offs) off();
      };
    },
    onLine: (service, listener) => opts.output.onLine(service, listener, { sequences: true }),
    lastLines: (service) => opts.output.lastLines(service),
    async act(action, service) {
      const supervisor = opts.supervisor();
      if (action === 'stop') {
        return supervisor.stopServices([service, ...dependentsOf(manifest, service)]);
      }
      if (action === 'restart') await runner(service)?.stop();
      await start(withDependencies(manifest, [service]));
    },
  };
}

function view(r: ServiceRunner, lastExit: string | null): ServiceView {
  return {
    name: r.name,
    state: r.state,
    health: health(r),
    pid: r.pid,
    ports: r.spec.ports,
    url: r.spec.url,
    startedAt: r.startedAt,
    restarts: r.restarts,
    exitCode: r.exitCode,
    lastExit,
  };
}

function health(r: ServiceRunner): ServiceView['health'] {
  const check = r.spec.config.ready;
  const port = r.spec.ports.primary ?? Object.values(r.spec.ports)[0] ?? null;
  const state = r.current;
  switch (state.kind) {
    case 'ready':
      return {
        ok: true,
        text: check === null ? 'running' : `ready (${describeCheck(check, port)})`,
      };
    case 'starting':
      return check === null ? null : { ok: null, text: `waiting (${describeCheck(check, port)})` };
    case 'failed':
      return { ok: false, text: state.reason };
    default:
      return null;
  }
}
