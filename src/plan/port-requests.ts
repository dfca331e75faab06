/** Which ports a session asks for, from the manifest and the command line's overrides. */
import { dict, hasKey } from '../dict.js';
import { DevlaunchError } from '../errors.js';
import type { Manifest, PortPreference } from '../manifest/types.js';

export interface PortRequest {
  service: string;
  /** `primary` for `port:`, else the name under `ports:`. */
  name: string;
  /** `backend` for a primary port, `backend.debug` for a named one. */
  label: string;
  preferred: PortPreference;
}

/** `backend` for a primary port, `backend.debug` for a named one. */
export function portLabel(service: string, name: string): string {
  return name === 'primary' ? service : `${service}.${name}`;
}

/** The run's conflict flag; with several, the most careful wins (fail, then remap, then kill). */
export function conflictFlag(args: {
  kill: boolean;
  remap: boolean;
  fail: boolean;
}): 'kill' | 'remap' | 'fail' | null {
  if (args.fail) return 'fail';
  if (args.remap) return 'remap';
  return args.kill ? 'kill' : null;
}

/** Every port the given services ask for, in their order, overrides applied. */
export function portRequests(
  manifest: Manifest,
  names: readonly string[],
  overrides: Record<string, number>,
): PortRequest[] {
  const requests: PortRequest[] = [];
  for (const service of names) {
    const config = manifest.services[service];
    if (!config) continue;
    if (config.port !== null) {
      const preferred = overrides[service] ?? config.port;
      requests.push({ service, name: 'primary', label: service, preferred });
    }
    for (const [name, preferred] of Object.entries(config.ports)) {
      const label = portLabel(service, name);
      requests.push({ service, name, label, preferred: overrides[label] ?? preferred });
    }
  }
  return requests;
}

/** Parses `--port NAME=PORT` values; a bad one is a usage error (exit 2). */
export function parsePortOverrides(
  values: readonly string[],
  manifest: Manifest,
): Record<string, number> {
  const result = dict<number>();
  for (const value of values) {
    const match = /^([^=]+)=(\d+)$/.exec(value);
    const port = match ? Number(match[2]) : Number.NaN;
    if (!match?.[1] || port < 1 || port > 65535) {
      throw new DevlaunchError('USAGE', `--port ${value}: expected NAME=PORT with a port 1–65535`, {
        hint: 'For example --port backend=8001, or --port backend.debug=9230 for a named port.',
      });
    }
    const [service, named] = match[1].split('.', 2) as [string, string | undefined];
    const config = manifest.services[service];
    if (!config || (named !== undefined && !hasKey(config.ports, named))) {
      throw new DevlaunchError('USAGE', `--port ${value}: the manifest has no port ${match[1]}`, {
        hint: `Ports are named after services: ${Object.keys(manifest.services).join(', ')}.`,
      });
    }
    result[match[1]] = port;
  }
  return result;
}
