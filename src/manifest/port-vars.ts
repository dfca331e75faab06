/**
 * `port: ${BACKEND_PORT:-8000}` (and the same in `ports:`): expanded before the schema sees
 * the manifest, from the dotenv files it names (global, then the service's) and devlaunch's
 * environment, which wins as everywhere else. So an existing `.env` with `BACKEND_PORT=8001`
 * chooses the port. A reference with no value and no default, or a value that is not a port,
 * is one problem at the key (and the port counts as `auto` meanwhile, so nothing else is said
 * about it: no second error about `BACKEND_URL`).
 */
import { dirname, resolve } from 'node:path';
import { parse } from 'dotenv';
import { expand } from '../env/expand.js';
import type { KeyPath, Problem } from './diagnostics.js';
import { readText } from './read-text.js';

type Env = Record<string, string | undefined>;

/** Rewrites port templates in `data` (the YAML as JS) in place; returns the problems found. */
export function expandPortTemplates(data: unknown, file: string, env: Env): Problem[] {
  if (!isMap(data) || !isMap(data.services)) return [];
  const root = dirname(file);
  const globalFiles = dotenvOf(data.env_file, root);
  const problems: Problem[] = [];
  for (const [name, service] of Object.entries(data.services)) {
    if (!isMap(service)) continue;
    const layers = [...globalFiles, ...dotenvOf(service.env_file, root)];
    const lookup = (key: string): string | undefined => {
      if (env[key] !== undefined) return env[key];
      for (let i = layers.length - 1; i >= 0; i--) {
        const value = layers[i]?.[key];
        if (value !== undefined) return value;
      }
      return undefined;
    };
    const fix = (value: unknown, path: KeyPath): unknown => {
      if (typeof value !== 'string' || !value.includes('$')) return value;
      const result = expand(value, lookup);
      const problem = portProblem(value, result, path);
      if (problem !== null) {
        problems.push(problem);
        return 'auto';
      }
      return /^\d+$/.test(result.value) ? Number(result.value) : result.value;
    };
    if ('port' in service) service.port = fix(service.port, ['services', name, 'port']);
    if (isMap(service.ports)) {
      for (const key of Object.keys(service.ports)) {
        service.ports[key] = fix(service.ports[key], ['services', name, 'ports', key]);
      }
    }
  }
  return problems;
}

function portProblem(
  template: string,
  result: ReturnType<typeof expand>,
  path: KeyPath,
): Problem | null {
  const first = result.missing[0];
  if (first !== undefined) {
    return {
      path,
      message: `${first} has no value, so ${template} is not a port`,
      expected: 'a port number 1–65535, or auto',
      found: template,
      hint: `set ${first} in an env_file or the environment, or give a default: \${${first}:-8000}`,
    };
  }
  if (result.invalid.length > 0) {
    return {
      path,
      message: `${result.invalid[0]} is not a valid reference`,
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the manifest syntax itself
      expected: '${NAME} or ${NAME:-default}',
      found: template,
    };
  }
  const value = result.value.trim();
  const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (value === 'auto' || (n >= 0 && n <= 65535)) return null;
  return {
    path,
    message: `${template} expands to ${JSON.stringify(result.value)}, which is not a port`,
    expected: 'a port number 1–65535, or auto',
    found: result.value,
  };
}

/** The dotenv files an `env_file` value names, parsed; bad or missing ones are reported by a rule. */
function dotenvOf(value: unknown, root: string): Record<string, string>[] {
  const list = typeof value === 'string' ? [value] : Array.isArray(value) ? value : [];
  return list.flatMap((f) => {
    if (typeof f !== 'string') return [];
    const read = readText(resolve(root, f));
    return read.ok ? [parse(read.text)] : [];
  });
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
