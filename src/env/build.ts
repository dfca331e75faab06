/**
 * A service's complete environment. Layers, lowest first (SPEC "What every service receives"):
 *
 *   global env_file(s) < service env_file(s) < devlaunch's own environment < global env
 *   < service env < injected variables (nothing overrides these)
 *
 * `${...}` in an `env` value is expanded against the layers below it plus every injected
 * variable, so `${PORT}` in the global env is each service's own port. A value cannot refer to
 * a sibling in the same `env` map (as in docker compose): the layers below answer instead.
 * `command` is expanded against the complete environment.
 */
import { dict } from '../dict.js';
import { DevlaunchError } from '../errors.js';
import { expand } from './expand.js';
import { type EnvLayer, type LayerCache, layeredLookup, lookupIn, mergeEnv } from './merge.js';
import {
  injectedVariables,
  ownVariables,
  PER_SERVICE_NAMES,
  type ResolvedPorts,
  sessionVariables,
} from './names.js';
import type { EnvProject, KeyPath } from './types.js';

export interface ServiceEnvInput {
  manifest: EnvProject;
  service: string;
  ports: ResolvedPorts;
  /** devlaunch's own environment. */
  processEnv: Record<string, string | undefined>;
  /** From `loadDotenvFiles`, keyed by absolute path. A file not in it counts as empty. */
  dotenv: Record<string, Record<string, string>>;
  /** The `DEVLAUNCH_SESSION` value. */
  session: string;
  /** Default `process.platform`; `'win32'` makes names case-insensitive. */
  platform?: NodeJS.Platform;
}

/** A value whose `${...}` could not all be resolved (it was expanded with `''` for them). */
export interface Unresolved {
  path: KeyPath;
  /** The value as written. */
  value: string;
  missing: string[];
  invalid: string[];
}

export interface ResolvedEnvironment {
  env: Record<string, string>;
  command: string | string[];
  unresolved: Unresolved[];
}

/**
 * What every service's environment shares, computed once per project: the injected `S_*`
 * variables (as many as there are services) and the folded layers. With it, resolving every
 * service costs in proportion to the number of services, not to its square.
 */
export interface SharedEnv {
  injected: Record<string, string>;
  cache: LayerCache;
}

export function sharedEnv(manifest: EnvProject, ports: ResolvedPorts): SharedEnv {
  return { injected: injectedVariables(manifest, ports), cache: new WeakMap() };
}

/** The layering itself; reports unresolved references instead of throwing (validation uses it). */
export function resolveServiceEnvironment(
  input: ServiceEnvInput,
  shared: SharedEnv = sharedEnv(input.manifest, input.ports),
): ResolvedEnvironment {
  const { layers, command, unresolved } = resolveLayers(input, shared);
  const env = mergeEnv(layers, input.platform ?? process.platform);
  return { env, command, unresolved };
}

/**
 * What `resolveServiceEnvironment` reports, without building the environment itself (which
 * holds every service's variables): validation checks each service with this.
 */
export function unresolvedReferences(input: ServiceEnvInput, shared: SharedEnv): Unresolved[] {
  return resolveLayers(input, shared).unresolved;
}

function resolveLayers(
  input: ServiceEnvInput,
  shared: SharedEnv,
): { layers: EnvLayer[]; command: string | string[]; unresolved: Unresolved[] } {
  const { manifest, service: name } = input;
  const service = manifest.services[name];
  if (service === undefined) throw new Error(`unknown service ${name}`);
  const platform = input.platform ?? process.platform;
  const { cache } = shared;
  const unresolved: Unresolved[] = [];
  const files = [...manifest.env_file, ...service.env_file].map((p) => input.dotenv[p] ?? {});
  // Own variables above the shared injected ones, as if the two were one map.
  const injected = [shared.injected, ownVariables(manifest, name, input.ports, input.session)];
  const below = [...files, input.processEnv];
  const globalProblems: Unresolved[] = [];
  const globalEnv = expandMap(
    manifest.env,
    ['env'],
    [...below, ...injected],
    platform,
    globalProblems,
    cache,
  );
  // A global value the service replaces with its own does not reach it: not its problem.
  const own = lookupIn(service.env, platform);
  unresolved.push(...globalProblems.filter((u) => own(String(u.path[1])) === undefined));
  const serviceEnv = expandMap(
    service.env,
    ['services', name, 'env'],
    [...below, globalEnv, ...injected],
    platform,
    unresolved,
    cache,
  );
  const layers = [...below, globalEnv, serviceEnv, ...injected];
  const lookup = layeredLookup(layers, platform, cache);
  const expandCommand = (text: string, path: KeyPath): string => {
    const r = expand(text, lookup);
    if (r.missing.length > 0 || r.invalid.length > 0) {
      unresolved.push({ path, value: text, missing: r.missing, invalid: r.invalid });
    }
    return r.value;
  };
  const command =
    typeof service.command === 'string'
      ? expandCommand(service.command, ['services', name, 'command'])
      : service.command.map((part, i) => expandCommand(part, ['services', name, 'command', i]));
  return { layers, command, unresolved };
}

/**
 * The service's complete environment and its command with `${}` expanded. Pure. Throws
 * `DevlaunchError('MANIFEST_INVALID')` only for a `${VAR}` with no value and no default
 * (validation normally reports it first); an invalid `${...}` is kept as written.
 */
export function serviceEnvironment(input: ServiceEnvInput): {
  env: Record<string, string>;
  command: string | string[];
} {
  const { env, command, unresolved } = resolveServiceEnvironment(input);
  const missing = unresolved.find((u) => u.missing.length > 0);
  if (missing !== undefined) throw missingError(missing, input.service);
  return { env, command };
}

/**
 * For `devlaunch run -- CMD` and `devlaunch env`: the global env_file(s) < devlaunch's own
 * environment < global env < every service's `S_*` variables and `DEVLAUNCH`,
 * `DEVLAUNCH_PROJECT`, `DEVLAUNCH_SESSION`. There is no `PORT`, `HOST` or `DEVLAUNCH_SERVICE`
 * outside a service, so a global variable built from them (`http://localhost:${PORT}`) is left
 * out here; any other missing `${VAR}` throws `DevlaunchError('MANIFEST_INVALID')`.
 */
export function commandEnvironment(
  input: Omit<ServiceEnvInput, 'service'>,
): Record<string, string> {
  const { manifest } = input;
  const platform = input.platform ?? process.platform;
  const files = manifest.env_file.map((p) => input.dotenv[p] ?? {});
  const injected = {
    ...injectedVariables(manifest, input.ports),
    ...sessionVariables(manifest, input.session),
  };
  const below = [...files, input.processEnv];
  const unresolved: Unresolved[] = [];
  const globalEnv = expandMap(manifest.env, ['env'], [...below, injected], platform, unresolved);
  for (const u of unresolved) {
    const perService = (name: string) =>
      PER_SERVICE_NAMES.has(platform === 'win32' ? name.toUpperCase() : name);
    const other = u.missing.find((name) => !perService(name));
    if (other !== undefined) throw missingError(u, null, other);
    if (u.missing.length > 0) delete globalEnv[String(u.path[1])];
  }
  return mergeEnv([...below, globalEnv, injected], platform);
}

export function expandMap(
  values: Readonly<Record<string, string>>,
  prefix: KeyPath,
  layers: readonly EnvLayer[],
  platform: NodeJS.Platform,
  unresolved: Unresolved[],
  cache?: LayerCache,
): Record<string, string> {
  const lookup = layeredLookup(layers, platform, cache);
  const out = dict<string>();
  for (const [key, value] of Object.entries(values)) {
    const r = expand(value, lookup);
    if (r.missing.length > 0 || r.invalid.length > 0) {
      unresolved.push({ path: [...prefix, key], value, missing: r.missing, invalid: r.invalid });
    }
    out[key] = r.value;
  }
  return out;
}

export function missingError(
  u: Unresolved,
  service: string | null,
  name = u.missing[0] ?? '',
): DevlaunchError {
  const where = u.path.join('.');
  const forService = service === null ? '' : ` (service ${service})`;
  return new DevlaunchError(
    'MANIFEST_INVALID',
    `\${${name}} in ${where} has no value${forService}`,
    {
      hint: `set ${name} in env:, in an env_file such as .env, or give a default: \${${name}:-value}`,
    },
  );
}
