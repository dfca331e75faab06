/**
 * Names of the variables devlaunch injects. Both the environment builder and manifest
 * validation use them, so a name is reserved exactly when devlaunch would set it.
 */
import { dict } from '../dict.js';
import { expand } from './expand.js';
import type { EnvProject } from './types.js';

/** `auth-api` -> `AUTH_API`: upper-cased, every character outside `A-Z0-9` turned into `_`. */
export function envName(service: string): string {
  return service.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

/** Set in every service's own environment (`PORT` only for a service with a port). */
export const OWN_NAMES = [
  'PORT',
  'HOST',
  'DEVLAUNCH',
  'DEVLAUNCH_SERVICE',
  'DEVLAUNCH_PROJECT',
  'DEVLAUNCH_SESSION',
] as const;

/**
 * Own names whose value differs from service to service: outside a service (`devlaunch run`,
 * `devlaunch env` without a service) they have no value.
 */
export const PER_SERVICE_NAMES: ReadonlySet<string> = new Set([
  'PORT',
  'HOST',
  'DEVLAUNCH_SERVICE',
]);

/** Every name starting with this is devlaunch's, whether devlaunch sets it today or not. */
export const RESERVED_PREFIX = 'DEVLAUNCH_';

/** The `S_*` names injected for one service, given which ports it has. */
export function serviceVariableNames(
  service: string,
  hasPrimary: boolean,
  named: readonly string[],
): { host: string; port: string | null; url: string | null; named: Record<string, string> } {
  const s = envName(service);
  const namedNames = dict<string>();
  for (const port of named) namedNames[port] = `${s}_${envName(port)}_PORT`;
  return {
    host: `${s}_HOST`,
    port: hasPrimary ? `${s}_PORT` : null,
    url: hasPrimary ? `${s}_URL` : null,
    named: namedNames,
  };
}

/**
 * Names devlaunch injects, for validation: a manifest `env` must not set them. Includes the
 * own names (`PORT`, `HOST`, `DEVLAUNCH*`) and every `S_*` name of the manifest's services.
 */
export function injectedNames(manifest: EnvProject): Set<string> {
  const names = new Set<string>(OWN_NAMES);
  for (const [name, service] of Object.entries(manifest.services)) {
    const vars = serviceVariableNames(name, service.port !== null, Object.keys(service.ports));
    names.add(vars.host);
    if (vars.port !== null) names.add(vars.port);
    if (vars.url !== null) names.add(vars.url);
    for (const n of Object.values(vars.named)) names.add(n);
  }
  return names;
}

/** Resolved ports of every service: primary may be null (no port); named = the `ports:` map. */
export type ResolvedPorts = Record<
  string,
  { primary: number | null; named: Record<string, number> }
>;

/** `http://HOST:PORT`, with an IPv6 literal host in brackets. */
export function serviceUrl(host: string, port: number): string {
  const h = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `http://${h}:${port}`;
}

/**
 * A service's URL: its `url:` template with `${HOST}`, `${PORT}` and `${<NAME>_PORT}` (named
 * ports) filled in (`redis://localhost:6379`), else `http://HOST:PORT`.
 */
export function serviceUrlOf(
  service: { host: string; url?: string | null },
  port: number,
  named: Readonly<Record<string, number>> = {},
): string {
  if (!service.url) return serviceUrl(service.host, port);
  const host =
    service.host.includes(':') && !service.host.startsWith('[')
      ? `[${service.host}]`
      : service.host;
  const values: Record<string, string> = { HOST: host, PORT: String(port) };
  for (const [name, value] of Object.entries(named))
    values[`${envName(name)}_PORT`] = String(value);
  return expand(service.url, (name) => values[name]).value;
}

/**
 * `S_HOST` for every service; for a service with a primary port also `S_PORT` and `S_URL`
 * (`http://HOST:PORT`); `S_<NAME>_PORT` per named port. A service missing from `ports`
 * counts as having none.
 */
export function injectedVariables(
  manifest: EnvProject,
  ports: ResolvedPorts,
): Record<string, string> {
  const vars = dict<string>();
  for (const [name, service] of Object.entries(manifest.services)) {
    const resolved = ports[name] ?? { primary: null, named: {} };
    const names = serviceVariableNames(
      name,
      resolved.primary !== null,
      Object.keys(resolved.named),
    );
    vars[names.host] = service.host;
    if (resolved.primary !== null && names.port !== null && names.url !== null) {
      vars[names.port] = String(resolved.primary);
      vars[names.url] = serviceUrlOf(service, resolved.primary, resolved.named);
    }
    for (const [port, value] of Object.entries(resolved.named)) {
      const varName = names.named[port];
      if (varName !== undefined) vars[varName] = String(value);
    }
  }
  return vars;
}

/** The variables only the service itself gets: `PORT` (if it has one), `HOST`, `DEVLAUNCH*`. */
export function ownVariables(
  manifest: EnvProject,
  service: string,
  ports: ResolvedPorts,
  session: string,
): Record<string, string> {
  const primary = ports[service]?.primary ?? null;
  return {
    ...(primary === null ? {} : { PORT: String(primary) }),
    HOST: manifest.services[service]?.host ?? 'localhost',
    ...sessionVariables(manifest, session),
    DEVLAUNCH_SERVICE: service,
  };
}

/** What every process devlaunch starts carries, inside a service or not. */
export function sessionVariables(manifest: EnvProject, session: string): Record<string, string> {
  return { DEVLAUNCH: '1', DEVLAUNCH_PROJECT: manifest.name, DEVLAUNCH_SESSION: session };
}
