/**
 * Settings devlaunch overrides: a dotenv file or the shell setting `BACKEND_PORT=8081` while
 * devlaunch gives backend 8000 (and injects `BACKEND_PORT=8000`, which nothing overrides).
 * Silently ignoring it would surprise whoever wrote it, so each one is reported once, saying
 * where it came from and how to make it count. Pure.
 */

export interface OverrideSource {
  /** As shown to the user: `.env`, `backend/.env`, `the environment`. */
  label: string;
  vars: Readonly<Record<string, string>>;
}

export interface Override {
  name: string;
  value: string;
  injected: string;
  source: string;
  /** How to make the setting count, when there is a way. */
  fix: string | null;
}

export interface OverrideInput {
  /** The injected `S_*` variables of the session (name → value). */
  injected: Readonly<Record<string, string>>;
  /** Where each injected port variable comes from: name → [service, port name or 'primary']. */
  portOwners: ReadonlyMap<string, [service: string, port: string]>;
  /** Dotenv files first, the shell last (it wins, so it is the one reported when both set it). */
  sources: readonly OverrideSource[];
  /** Names the manifest already refers to (`port: ${BACKEND_PORT}`): no fix to suggest. */
  referenced: (name: string) => boolean;
}

export function findOverrides(input: OverrideInput): Override[] {
  const found = new Map<string, Override>();
  for (const source of input.sources) {
    for (const [name, value] of Object.entries(source.vars)) {
      const injected = input.injected[name];
      if (injected === undefined || injected === value) continue;
      found.set(name, { name, value, injected, source: source.label, fix: fixFor(name, input) });
    }
  }
  return [...found.values()];
}

function fixFor(name: string, input: OverrideInput): string | null {
  const owner = input.portOwners.get(name);
  if (owner === undefined || input.referenced(name)) return null;
  const [service, port] = owner;
  const key = port === 'primary' ? 'port' : `ports: { ${port}: ... }`;
  return port === 'primary'
    ? `to let it choose ${service}'s port, write port: \${${name}} (or \${${name}:-${input.injected[name]}}) for ${service} in the manifest`
    : `to let it choose ${service}'s ${port} port, use \${${name}} in ${key}`;
}

/** One line per override, for a warning. */
export function describeOverride(o: Override): string {
  return `${o.name}=${o.value} in ${o.source} is overridden: devlaunch sets ${o.name}=${o.injected}`;
}
