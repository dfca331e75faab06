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
import { dependentsOf } from '../plan/graph.js';
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

  /** A change of state that has no event of its own (a service begins stopping). */
  changed(): void {
    for (const listener of this.#listeners) listener({ type: 'service-changed' });
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
  const runners = () => opts.supervisor().services;
  const find = (name: string) => runners().find((r) => r.name === name);
  return {
    project: opts.manifest.name,
    session: opts.session,
    logDir: opts.logDir,
    services: () => runners().map(view),
    subscribe: (listener) => opts.events.subscribe(listener),
    onLine: (service, listener) => opts.output.onLine(service, listener),
    lastLines: (service) => opts.output.lastLines(service),
    async act(action, service) {
      const supervisor = opts.supervisor();
      const withDependents = [service, ...dependentsOf(opts.manifest, service)];
      if (action === 'stop') return supervisor.stopServices(withDependents);
      if (find(service) === undefined) throw new Error(`no service ${service}`);
      throw new Error(`${action} is not available in this version`);
    },
  };
}

function view(runner: ServiceRunner): ServiceView {
  return {
    name: runner.name,
    state: runner.state,
    health: null,
    pid: runner.pid,
    ports: runner.spec.ports,
    url: runner.spec.url,
    startedAt: runner.startedAt,
    restarts: runner.restarts,
    exitCode: runner.exitCode,
    lastExit: null,
  };
}
