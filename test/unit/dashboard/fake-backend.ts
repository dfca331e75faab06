/** A session for the dashboard's handlers: services and lines set by the test, actions recorded. */

import type {
  BackendEvent,
  DashboardBackend,
  LogLine,
  LogPage,
  ServiceAction,
  ServiceView,
} from '../../../src/dashboard/types.js';
import { UnknownServiceError } from '../../../src/dashboard/types.js';
import type { LineGate } from '../../../src/output/line-listeners.js';

export function service(name: string, over: Partial<ServiceView> = {}): ServiceView {
  return {
    name,
    state: 'ready',
    health: null,
    pid: 4242,
    ports: { primary: 8000 },
    url: 'http://localhost:8000',
    startedAt: '2026-01-01T00:00:00.000Z',
    restarts: 0,
    exitCode: null,
    lastExit: null,
    ...over,
  };
}

export class FakeBackend implements DashboardBackend {
  services: ServiceView[] = [service('api'), service('web', { pid: 4343 })];
  recent: LogLine[] = [{ service: 'api', text: 'secret-line-of-api' }];
  actions: [ServiceAction, string][] = [];
  logReads: { service: string; at: { before?: number; after?: number }; limit: number }[] = [];
  readonly listeners = new Set<(event: BackendEvent) => void>();
  /** The gate of the latest subscription, as the session would honour it. */
  gate: LineGate | undefined;

  snapshot() {
    return { project: 'secret-project', session: 'abc123', services: this.services };
  }

  subscribe(listener: (event: BackendEvent) => void, gate?: LineGate) {
    this.gate = gate;
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  emit(event: BackendEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  /** A line of output as the session hands it over: counted only while the gate is shut. */
  print(service: string, text: string): void {
    this.recent.push({ service, text });
    if (this.gate !== undefined && !this.gate.open()) this.gate.skipped(service, 1);
    else this.emit({ type: 'line', line: { service, text } });
  }

  recentLines() {
    return this.recent;
  }

  /** The last 20 lines of a service, as a session keeps them. */
  lastLines(name: string) {
    return this.recent
      .filter((l) => l.service === name)
      .slice(-20)
      .map((l) => l.text);
  }

  async act(action: ServiceAction, name: string) {
    if (!this.services.some((s) => s.name === name)) throw new UnknownServiceError(name);
    this.actions.push([action, name]);
  }

  async readLog(name: string, at: { before?: number; after?: number }, limit: number) {
    this.logReads.push({ service: name, at, limit });
    const page: LogPage = { lines: ['old line'], start: 0, end: 9, size: 9 };
    return page;
  }
}
