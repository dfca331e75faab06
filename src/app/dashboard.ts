/**
 * Serves the session's dashboard (src/dashboard/) and links it to the session: the services'
 * state and events from the supervisor, their output, their log files, and the supervisor's
 * restart/stop/start. The dashboard code is imported here lazily, so a session without one
 * never loads it.
 */
import type { Dashboard } from '../dashboard/server.js';
import type { SessionLink } from '../dashboard/session-backend.js';
import type { ServiceView } from '../dashboard/types.js';
import type { Manifest } from '../manifest/types.js';
import type { EventSink } from '../output/events.js';
import type { ServiceOutput } from '../output/index.js';
import { reservePort } from '../ports/probe.js';
import { describeCheck } from '../supervisor/readiness.js';
import type { ServiceRunner } from '../supervisor/service-runner.js';
import type { Supervisor } from '../supervisor/supervisor.js';

export interface SessionDashboardOptions {
  manifest: Manifest;
  session: string;
  /** 0: a port from the OS. */
  port: number;
  logDir: string | null;
  output: ServiceOutput;
  /** The session's messages (a failed action, no dashboard). */
  emit: EventSink;
  /** The session's supervisor; asked only once a page is opened, after it exists. */
  supervisor: () => Supervisor;
}

export async function serveDashboard(opts: SessionDashboardOptions): Promise<Dashboard | null> {
  const { startDashboard } = await import('../dashboard/server.js');
  const start = (port: number) =>
    startDashboard({
      port,
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
  try {
    return opts.port !== 0 ? await start(opts.port) : await anyPort(start);
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

/** How many ports from the OS a dashboard on any port tries before it gives up. */
const ANY_PORT_TRIES = 20;

/**
 * A dashboard on a port the OS hands out, unless another devlaunch has just reserved that
 * number for a service that has not bound it yet (ports/probe.ts `reservePort`): then it lets
 * the port go and takes another. Ports that devlaunch picks itself (`auto`, `--dynamic`) lie
 * outside the range the OS hands out (ports/dynamic-range.ts), so this is rare; the check costs
 * one UDP bind, where probing the port first cost a bind on each address and a lookup.
 */
async function anyPort(start: (port: number) => Promise<Dashboard>): Promise<Dashboard> {
  for (let attempt = 1; ; attempt++) {
    const dashboard = await start(0);
    if (attempt === ANY_PORT_TRIES || (await reservePort(dashboard.port))) return dashboard;
    await dashboard.close();
  }
}

function sessionLink(opts: SessionDashboardOptions): SessionLink {
  const supervisor = opts.supervisor();
  const runners = supervisor.services;
  return {
    project: opts.manifest.name,
    session: opts.session,
    logDir: opts.logDir,
    services: () =>
      supervisor.snapshot().map((s, i): ServiceView => ({ ...s, health: health(runners[i]) })),
    subscribe(listener) {
      // Events say most; a state change without one (a service begins stopping) comes from
      // the runners' own notifications.
      const offs = [
        supervisor.subscribe(listener),
        ...runners.map((r) => r.onChange(() => listener({ type: 'service-changed' }))),
      ];
      return () => {
        for (const off of offs) off();
      };
    },
    onLine: (service, listener, gate) =>
      opts.output.onLine(service, listener, { sequences: true, gate }),
    lastLines: (service) => opts.output.lastLines(service),
    act(action, service) {
      // The same as `devlaunch restart`, `down SERVICE` (with its dependents) and `up SERVICE`
      // (with what it needs).
      return supervisor[action]([service]);
    },
  };
}

function health(r: ServiceRunner | undefined): ServiceView['health'] {
  if (r === undefined) return null;
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
