/**
 * Reports, once per start, every injected variable that a dotenv file or the shell sets to a
 * value devlaunch overrides (see env/overrides.ts), with where it came from and the fix.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import {
  describeOverride,
  findOverrides,
  injectedVariables,
  type ResolvedPorts,
  serviceVariableNames,
} from '../env/index.js';
import type { Manifest } from '../manifest/types.js';
import type { EventSink } from '../output/events.js';

export function warnOverrides(opts: {
  manifest: Manifest;
  ports: ResolvedPorts;
  processEnv: Record<string, string | undefined>;
  /** Parsed dotenv files, by absolute path, in layer order. */
  dotenv: Record<string, Record<string, string>>;
  emit: EventSink;
}): void {
  const { manifest, ports } = opts;
  const injected = injectedVariables(manifest, ports);
  const portOwners = new Map<string, [string, string]>();
  for (const [service, resolved] of Object.entries(ports)) {
    const vars = serviceVariableNames(
      service,
      resolved.primary !== null,
      Object.keys(resolved.named),
    );
    if (vars.port !== null) portOwners.set(vars.port, [service, 'primary']);
    for (const [port, name] of Object.entries(vars.named)) portOwners.set(name, [service, port]);
  }
  const own: Record<string, Record<string, string>> = {};
  for (const [service, config] of Object.entries(manifest.services)) {
    const primary = ports[service]?.primary ?? null;
    own[service] = { HOST: config.host, ...(primary === null ? {} : { PORT: String(primary) }) };
  }
  const shell: Record<string, string> = {};
  for (const name of [...Object.keys(injected), 'PORT', 'HOST']) {
    const value = opts.processEnv[name];
    if (value !== undefined) shell[name] = value;
  }
  let text = '';
  try {
    text = readFileSync(manifest.file, 'utf8');
  } catch {}
  const overrides = findOverrides({
    injected,
    portOwners,
    sources: [
      ...Object.entries(opts.dotenv).map(([path, vars]) => ({
        label: relative(manifest.root, path) || path,
        vars,
        ...(manifest.env_file.includes(path) ? {} : { services: readers(manifest, path) }),
      })),
      { label: 'the environment', vars: shell },
    ],
    referenced: (name) => new RegExp(`\\$\\{${name}(\\}|:?-)`).test(text),
    own,
  });
  for (const o of overrides) {
    opts.emit({
      type: 'message',
      level: 'warn',
      text: describeOverride(o),
      ...(o.fix === null ? {} : { hint: o.fix }),
    });
  }
}

/** The services whose own env_file lists `path`. */
function readers(manifest: Manifest, path: string): Set<string> {
  return new Set(
    Object.entries(manifest.services)
      .filter(([, service]) => service.env_file.includes(path))
      .map(([name]) => name),
  );
}
