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

  snapshot() {
    return { project: 'secret-project', session: 'abc123', services: this.services };
  }

  subscribe(listener: (event: BackendEvent) => void) {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  emit(event: BackendEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  recentLines() {
    return this.recent;
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
