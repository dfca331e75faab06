/**
 * Raw manifest (as written, already checked by the schema) → the normalised `Manifest` every
 * later stage uses: defaults filled, durations in ms, paths absolute, signals as `SIGTERM`.
 */
import { basename, dirname, resolve } from 'node:path';
import { dict } from '../dict.js';
import { parseDuration } from './duration.js';
import type { RawManifest, RawReady, RawService } from './schema.js';
import { normalizeSignal } from './signals.js';
import type { Manifest, PortPreference, PortRange, ReadyCheck, ServiceConfig } from './types.js';

export const DEFAULT_STOP_TIMEOUT = 5000;
export const DEFAULT_READY_TIMEOUT = 60_000;
export const DEFAULT_READY_INTERVAL = 500;
export const DEFAULT_MAX_RESTARTS = 3;

type Duration = string | number;

const ms = (value: Duration | undefined, fallback: number): number =>
  value === undefined ? fallback : (parseDuration(value) ?? fallback);

const list = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** Templates were expanded before validation (port-vars.ts): a string here is `auto`. */
const port = (value: number | string): PortPreference =>
  typeof value === 'string' || value === 0 ? 'auto' : value;

function envMap(
  env: Record<string, string | number | boolean> | undefined,
): Record<string, string> {
  return dict(Object.entries(env ?? {}).map(([k, v]) => [k, String(v)]));
}

function portRange(raw: RawManifest['port_range']): PortRange | null {
  if (raw === undefined) return null;
  if (typeof raw === 'string') {
    const [from, to] = raw.split('-').map((p) => Number(p.trim()));
    return { from: from ?? 0, to: to ?? 0 };
  }
  return { from: raw.from, to: raw.to };
}

function ready(raw: RawReady | undefined, hasPort: boolean): ReadyCheck | null {
  if (raw === undefined) {
    return hasPort
      ? { tcp: true, timeout: DEFAULT_READY_TIMEOUT, interval: DEFAULT_READY_INTERVAL }
      : null;
  }
  const timing = {
    timeout: ms(raw.timeout, DEFAULT_READY_TIMEOUT),
    interval: ms(raw.interval, DEFAULT_READY_INTERVAL),
  };
  if (raw.http !== undefined) return { http: raw.http, ...timing };
  if (raw.log !== undefined) return { log: raw.log, ...timing };
  if (raw.command !== undefined) return { command: raw.command, ...timing };
  // `tcp: true`, or (only in a manifest validation already rejected) no form at all.
  return { tcp: true, ...timing };
}

function service(name: string, raw: RawService, root: string, stopTimeout: number): ServiceConfig {
  const ports = dict(Object.entries(raw.ports ?? {}).map(([key, value]) => [key, port(value)]));
  const primary = raw.port === undefined ? null : port(raw.port);
  const dependsOn = Array.isArray(raw.depends_on)
    ? dict(raw.depends_on.map((dep) => [dep, 'ready' as const]))
    : dict(Object.entries(raw.depends_on ?? {}));
  return {
    name,
    command: raw.command,
    cwd: resolve(root, raw.cwd ?? '.'),
    port: primary,
    ports,
    host: raw.host ?? 'localhost',
    env: envMap(raw.env),
    env_file: list(raw.env_file).map((f) => resolve(root, f)),
    depends_on: dependsOn,
    ready: ready(raw.ready, primary !== null || Object.keys(ports).length > 0),
    on_conflict: raw.on_conflict ?? null,
    stop_signal: normalizeSignal(raw.stop_signal ?? 'SIGTERM') ?? 'SIGTERM',
    stop_timeout: ms(raw.stop_timeout, stopTimeout),
    restart: raw.restart ?? 'no',
    max_restarts: raw.max_restarts ?? DEFAULT_MAX_RESTARTS,
    open: raw.open ?? null,
    url: raw.url ?? null,
  };
}

/** `file` must be absolute; the project root is its directory. */
export function normalizeManifest(raw: RawManifest, file: string): Manifest {
  const root = dirname(file);
  const stopTimeout = ms(raw.stop_timeout, DEFAULT_STOP_TIMEOUT);
  return {
    file,
    root,
    name: raw.name ?? basename(root),
    env_file: list(raw.env_file).map((f) => resolve(root, f)),
    env: envMap(raw.env),
    port_range: portRange(raw.port_range),
    stop_timeout: stopTimeout,
    dashboard: raw.dashboard === false ? false : raw.dashboard === true ? 0 : (raw.dashboard ?? 0),
    services: dict(
      Object.entries(raw.services).map(([name, s]) => [name, service(name, s, root, stopTimeout)]),
    ),
  };
}
