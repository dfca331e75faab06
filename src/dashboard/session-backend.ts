/**
 * The dashboard's view of a running session, built from what the session already has: the
 * services' state, the typed events the terminal reporter gets, the service output lines, and
 * the log files. Nothing here runs while no page is open: the event and line listeners exist
 * only while the event stream has a page to feed.
 */

import type { SupervisorEvent } from '../output/events.js';
import type { LineGate } from '../output/line-listeners.js';
import { logFilePath } from '../output/log-files.js';
import { readAfter, readBefore } from './log-reader.js';
import {
  type BackendEvent,
  type DashboardBackend,
  type LogLine,
  type ServiceAction,
  type ServiceView,
  UnknownServiceError,
} from './types.js';

/** The session's typed events, and a bare note that a service's state changed without one. */
export type SessionEvent = SupervisorEvent | { type: 'service-changed' };

/** What the session hands the dashboard: the only way in. */
export interface SessionLink {
  project: string;
  session: string;
  /** Folder of the services' log files; null when the session writes none. */
  logDir: string | null;
  services(): ServiceView[];
  /** The session's typed events. Returns the unsubscribe function. */
  subscribe(listener: (event: SessionEvent) => void): () => void;
  /**
   * Each complete output line of a service, colours (escape sequences) included; `partial`
   * lines are in-progress updates.
   */
  onLine(
    service: string,
    listener: (text: string, partial: boolean) => void,
    gate?: LineGate,
  ): () => void;
  /** The service's latest lines the session keeps. */
  lastLines(service: string): string[];
  act(action: ServiceAction, service: string): Promise<void>;
}

export function sessionBackend(link: SessionLink): DashboardBackend {
  const names = () => link.services().map((s) => s.name);
  const known = (service: string) => {
    if (!names().includes(service)) throw new UnknownServiceError(service);
  };
  return {
    snapshot: () => ({ project: link.project, session: link.session, services: link.services() }),
    subscribe(listener: (event: BackendEvent) => void, gate?: LineGate) {
      const offs = [
        link.subscribe((event) => {
          // Progress ticks change nothing the page shows; everything else may.
          if (event.type === 'service-waiting') return;
          listener(event.type === 'stopping' ? { type: 'stopping' } : { type: 'changed' });
        }),
        ...names().map((service) =>
          link.onLine(
            service,
            (text, partial) => {
              if (!partial) listener({ type: 'line', line: { service, text } });
            },
            gate,
          ),
        ),
      ];
      return () => {
        for (const off of offs) off();
      };
    },
    lastLines: (service) => link.lastLines(service),
    recentLines: (): LogLine[] =>
      names().flatMap((service) => link.lastLines(service).map((text) => ({ service, text }))),
    async act(action, service) {
      known(service);
      await link.act(action, service);
    },
    async readLog(service, at, limit) {
      known(service);
      if (link.logDir === null) return { lines: [], start: 0, end: 0, size: 0 };
      const file = logFilePath(link.logDir, service);
      return at.after === undefined
        ? readBefore(file, at.before, limit)
        : readAfter(file, at.after, limit);
    },
  };
}
