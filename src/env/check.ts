/**
 * EnvProject rules about environments, run by validation before anything starts:
 * - a `${VAR}` with no value in any lower layer and no default (checked per service with the
 *   same code that builds the environment, so validation and start-up always agree);
 * - a `${...}` that is not a valid reference;
 * - an `env` (global or service) setting a name devlaunch injects, or any `DEVLAUNCH_*` name.
 *   Compared ignoring case, because on Windows `Port` and `PORT` are one variable;
 * - two services whose names give the same variable prefix (`auth-api` and `auth_api`).
 */
import { dict } from '../dict.js';
import { expandMap, sharedEnv, type Unresolved, unresolvedReferences } from './build.js';
import { dotenvPaths, readDotenvIfPresent } from './dotenv.js';
import { envName, injectedNames, RESERVED_PREFIX, type ResolvedPorts } from './names.js';
import type { EnvProject, KeyPath, EnvProblem as Problem } from './types.js';

export function envProblems(
  manifest: EnvProject,
  processEnv: Record<string, string | undefined>,
): Problem[] {
  return [
    ...reservedNameProblems(manifest),
    ...prefixClashes(manifest),
    ...references(manifest, processEnv),
  ];
}

function reservedNameProblems(manifest: EnvProject): Problem[] {
  const reserved = new Map([...injectedNames(manifest)].map((n) => [n.toUpperCase(), n]));
  const problems: Problem[] = [];
  const check = (env: Record<string, string>, prefix: KeyPath) => {
    for (const key of Object.keys(env)) {
      const upper = key.toUpperCase();
      const injected = reserved.get(upper);
      if (injected === undefined && !upper.startsWith(RESERVED_PREFIX)) continue;
      // `AUTH_URL: ${AUTH_URL}` only says the service uses the injected value: nothing to refuse.
      if (env[key] === `\${${key}}`) continue;
      const as = injected !== undefined && injected !== key ? ` (as ${injected})` : '';
      problems.push({
        path: [...prefix, key],
        atKey: true,
        message: `${key} is set by devlaunch${as} and cannot be overridden`,
        hint: 'use port: (or ports:) for ports, or another name',
      });
    }
  };
  check(manifest.env, ['env']);
  for (const [name, service] of Object.entries(manifest.services)) {
    check(service.env, ['services', name, 'env']);
  }
  return problems;
}

function prefixClashes(manifest: EnvProject): Problem[] {
  const seen = new Map<string, string>();
  const problems: Problem[] = [];
  for (const name of Object.keys(manifest.services)) {
    const prefix = envName(name);
    const first = seen.get(prefix);
    if (first === undefined) {
      seen.set(prefix, name);
      continue;
    }
    problems.push({
      path: ['services', name],
      atKey: true,
      message: `services ${first} and ${name} would both get the variables ${prefix}_*`,
      hint: 'rename one of them',
    });
  }
  return problems;
}

function references(
  manifest: EnvProject,
  processEnv: Record<string, string | undefined>,
): Problem[] {
  const dotenv: Record<string, Record<string, string>> = {};
  for (const path of dotenvPaths(manifest)) {
    // A missing file is reported by its own rule; here it just sets nothing.
    const parsed = readDotenvIfPresent(path);
    if (parsed !== null) dotenv[path] = parsed;
  }
  // Only which ports exist matters here, not their numbers.
  const ports: ResolvedPorts = dict();
  for (const [name, s] of Object.entries(manifest.services)) {
    const named = dict(Object.keys(s.ports).map((p) => [p, 1]));
    ports[name] = { primary: s.port === null ? null : 1, named };
  }
  // path -> problem, with the services a global value fails for.
  const found = new Map<string, { u: Unresolved; services: string[] }>();
  const shared = sharedEnv(manifest, ports);
  for (const service of Object.keys(manifest.services)) {
    const input = { manifest, service, ports, processEnv, dotenv, session: 'check' };
    for (const u of unresolvedReferences(input, shared)) {
      const key = JSON.stringify(u.path);
      const entry = found.get(key) ?? { u: { ...u, missing: [] }, services: [] };
      entry.u.missing = [...new Set([...entry.u.missing, ...u.missing])];
      if (u.missing.length > 0) entry.services.push(service);
      found.set(key, entry);
    }
  }
  const total = Object.keys(manifest.services).length;
  if (total === 0) {
    // No service to build for: the global env still has to resolve on its own.
    const unresolved: Unresolved[] = [];
    const files = manifest.env_file.map((p) => dotenv[p] ?? {});
    expandMap(manifest.env, ['env'], [...files, processEnv], process.platform, unresolved);
    for (const u of unresolved) found.set(JSON.stringify(u.path), { u, services: [] });
  }
  const problems: Problem[] = [];
  for (const { u, services } of found.values()) {
    const partial = u.path[0] === 'env' && services.length < total;
    const forWhom = partial
      ? ` for service${services.length > 1 ? 's' : ''} ${services.join(', ')}`
      : '';
    for (const name of u.missing) {
      const noPort = name === 'PORT' && services.length > 0;
      problems.push({
        path: u.path,
        message: `\${${name}} has no value${forWhom}`,
        found: u.value,
        hint: noPort
          ? `${services.join(', ')} has no port: give it one, move this variable to the services that have one, or use \${PORT:-value}`
          : `set ${name} in env:, in an env_file such as .env, or give a default: \${${name}:-value}`,
      });
    }
    for (const bad of u.invalid) {
      problems.push({
        path: u.path,
        message: `${bad} is not a valid reference`,
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the syntax itself, shown to the user
        expected: '${NAME} or ${NAME:-default}, NAME made of letters, digits and _',
        found: u.value,
        hint: 'write $$ for a literal $',
      });
    }
  }
  return problems;
}
