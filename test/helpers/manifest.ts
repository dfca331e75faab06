import type { Manifest, ServiceConfig } from '../../src/manifest/types.js';

/** A normalised service with every default filled; `over` replaces what a test cares about. */
export function service(name: string, over: Partial<ServiceConfig> = {}): ServiceConfig {
  return {
    name,
    command: 'node server.js',
    cwd: '/project',
    port: null,
    ports: {},
    host: 'localhost',
    env: {},
    env_file: [],
    depends_on: {},
    ready: null,
    on_conflict: null,
    stop_signal: 'SIGTERM',
    stop_timeout: 5000,
    restart: 'no',
    max_restarts: 3,
    open: null,
    url: null,
    ...over,
  };
}

export function manifest(
  services: Record<string, Partial<ServiceConfig>>,
  over: Partial<Omit<Manifest, 'services'>> = {},
): Manifest {
  return {
    file: '/project/launcher.yaml',
    root: '/project',
    name: 'shop',
    env_file: [],
    env: {},
    port_range: null,
    stop_timeout: 5000,
    dashboard: 0,
    services: Object.fromEntries(
      Object.entries(services).map(([name, s]) => [name, service(name, s)]),
    ),
    ...over,
  };
}
