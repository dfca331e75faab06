/**
 * The launch plan: what `up` will do, as plain data, computed without any I/O from the
 * manifest, the command line's options and facts gathered beforehand (ports/gather.ts): each
 * port and why (port-plan.ts), the holders stopped for it, leftovers of earlier sessions,
 * and, once every port is known, every service's command, environment and URL in start order.
 * `up --dry-run` prints it; `up` applies it (ports/apply.ts) and starts what it lists.
 */
import { serviceEnvironment } from '../env/build.js';
import { type ResolvedPorts, serviceUrlOf } from '../env/names.js';
import type { Leftover } from './facts.js';
import { type PortLine, type PortPlanInput, planPorts } from './port-plan.js';

export interface PlannedService {
  name: string;
  command: string | string[];
  cwd: string;
  /** The complete environment the service is started with. */
  env: Record<string, string>;
  /** The part of `env` devlaunch sets or changes (manifest, dotenv, injected variables). */
  ownEnv: Record<string, string>;
  /** `primary` and the named ports. */
  ports: Record<string, number>;
  url: string | null;
}

export interface LaunchPlan {
  project: string;
  /** The manifest file. */
  file: string;
  root: string;
  session: string;
  dynamic: boolean;
  /** The services to start, in start order. */
  order: string[];
  ports: PortLine[];
  /** Processes of earlier sessions that are stopped before anything starts. */
  leftovers: Leftover[];
  /** Why nothing may start (another session of the project runs), or null. */
  blocked: string | null;
  /** Every service's ports, those outside the session at their preferred port. */
  resolved: ResolvedPorts;
  /** Filled once every port line is `ok`; empty before. */
  services: PlannedService[];
}

export interface PlanInput extends PortPlanInput {
  session: string;
  /** The environment services inherit. */
  processEnv: Record<string, string | undefined>;
  /** Dotenv files read, by absolute path. */
  dotenv: Record<string, Record<string, string>>;
  platform: NodeJS.Platform;
}

export function planLaunch(input: PlanInput): LaunchPlan {
  const { manifest, facts } = input;
  const { lines, resolved, complete } = planPorts(input);
  const running = input.dynamic ? null : facts.running;
  return {
    project: manifest.name,
    file: manifest.file,
    root: manifest.root,
    session: input.session,
    dynamic: input.dynamic,
    order: [...input.order],
    ports: lines,
    leftovers: facts.leftovers,
    blocked: running
      ? `a session of ${manifest.name} is already running (pid ${running.pid}, since ${running.startedAt})`
      : null,
    resolved,
    services: complete ? input.order.map((name) => plannedService(input, name, resolved)) : [],
  };
}

function plannedService(input: PlanInput, name: string, ports: ResolvedPorts): PlannedService {
  const { manifest, processEnv } = input;
  const config = manifest.services[name]!;
  const built = serviceEnvironment({
    manifest,
    service: name,
    ports,
    processEnv,
    dotenv: input.dotenv,
    session: input.session,
    platform: input.platform,
  });
  const resolved = ports[name] ?? { primary: null, named: {} };
  const servicePorts: Record<string, number> = { ...resolved.named };
  if (resolved.primary !== null) servicePorts.primary = resolved.primary;
  return {
    name,
    command: built.command,
    cwd: config.cwd,
    env: built.env,
    ownEnv: Object.fromEntries(Object.entries(built.env).filter(([k, v]) => processEnv[k] !== v)),
    ports: servicePorts,
    url: resolved.primary === null ? null : serviceUrlOf(config, resolved.primary, resolved.named),
  };
}
