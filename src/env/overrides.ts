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
  /** The services it reaches (a service's own env_file); default: every one. */
  services?: ReadonlySet<string>;
}

export interface Override {
  name: string;
  value: string;
  injected: string;
  /**
   * `PORT` and `HOST`, which each service gets its own of: the services whose value differs,
   * with the value each gets (`injected` is then the first one's).
   */
  perService?: [service: string, value: string][];
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
  /** Each service's own `PORT` (services with a port) and `HOST`. Default: none. */
  own?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** Injected into each service's own environment, with a value of its own. */
const OWN_NAMES = new Set(['PORT', 'HOST']);

export function findOverrides(input: OverrideInput): Override[] {
  const found = new Map<string, Override>();
  for (const source of input.sources) {
    for (const [name, value] of Object.entries(source.vars)) {
      const injected = input.injected[name];
      if (injected !== undefined) {
        if (injected === value) continue;
        found.set(name, { name, value, injected, source: source.label, fix: fixFor(name, input) });
        continue;
      }
      if (!OWN_NAMES.has(name)) continue;
      const perService = Object.entries(input.own ?? {}).flatMap(([service, vars]) => {
        const own = vars[name];
        if (source.services !== undefined && !source.services.has(service)) return [];
        return own === undefined || own === value ? [] : [[service, own] as [string, string]];
      });
      if (perService.length === 0) continue;
      found.set(name, {
        name,
        value,
        injected: perService[0]![1],
        perService,
        source: source.label,
        fix: ownFixFor(name, perService, input),
      });
    }
  }
  return [...found.values()];
}

function ownFixFor(
  name: string,
  perService: [string, string][],
  input: OverrideInput,
): string | null {
  if (name === 'HOST') return 'set host: for a service in the manifest to change its HOST';
  const withPort = Object.values(input.own ?? {}).filter((vars) => vars.PORT !== undefined);
  if (withPort.length !== 1 || input.referenced(name)) return null;
  const [service, port] = perService[0]!;
  return `to let it choose ${service}'s port, write port: \${${name}} (or \${${name}:-${port}}) for ${service} in the manifest`;
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
  const head = `${o.name}=${o.value} in ${o.source} is overridden`;
  if (o.perService === undefined) return `${head}: devlaunch sets ${o.name}=${o.injected}`;
  const shown = o.perService.slice(0, 5).map(([service, value]) => `${service} ${value}`);
  if (o.perService.length > 5) shown.push(`${o.perService.length - 5} more`);
  return `${head}: devlaunch gives each service its own ${o.name} (${shown.join(', ')})`;
}
