/**
 * The launch of a session in three steps: gather facts and plan (`prepareLaunch`, nothing
 * changed), then apply (`applyLaunch`: stop the holders the plan lists). `up`, `up -d`,
 * `run` and `up --dry-run` share it; a background supervisor gets its plan from a file
 * (`handOver` / `takeOver`) instead of planning again.
 */
import { readFileSync, rmSync } from 'node:fs';
import { loadDotenvFiles } from '../env/dotenv.js';
import type { ResolvedPorts } from '../env/names.js';
import { DevlaunchError } from '../errors.js';
import type { Manifest } from '../manifest/types.js';
import type { EventSink } from '../output/events.js';
import type { LaunchFacts } from '../plan/facts.js';
import { type LaunchPlan, planLaunch } from '../plan/launch-plan.js';
import { conflictFlag, parsePortOverrides } from '../plan/port-requests.js';
import { applyPortLines } from '../ports/apply.js';
import type { Asker } from '../ports/ask.js';
import type { ClassifiedHolder } from '../ports/ownership.js';
import { preparePorts } from '../ports/resolve-ports.js';
import { writeFileAtomic } from '../state/index.js';
import type { GlobalArgs } from './options.js';
import { warnOverrides } from './override-warnings.js';

export interface LaunchOptions {
  manifest: Manifest;
  /** The services to start, in start order. */
  order: readonly string[];
  session: string;
  args: GlobalArgs;
  /** The environment the services inherit. */
  inherited: Record<string, string | undefined>;
  /** Someone can be asked about a port conflict. */
  interactive: boolean;
  /** Plan only: ask nothing, and return a plan that cannot go on instead of throwing. */
  dryRun?: boolean;
  ask?: Asker;
  /** Facts about earlier sessions (for --dry-run; a real launch has dealt with them). */
  sessions?: Pick<LaunchFacts, 'leftovers' | 'running'>;
  /** Ports of the services already running in this session (up SERVICE adding to it). */
  running?: ResolvedPorts;
}

export interface PreparedLaunch {
  plan: LaunchPlan;
  /** The holders found on each held port: what applying the plan stops. */
  holders: Map<number, ClassifiedHolder[]>;
  /** The parsed dotenv files and the environment the plan was made from (for the override warnings). */
  dotenv: Record<string, Record<string, string>>;
  processEnv: Record<string, string | undefined>;
}

export async function prepareLaunch(options: LaunchOptions): Promise<PreparedLaunch> {
  const { manifest, order, args } = options;
  const overrides = parsePortOverrides(args.port, manifest);
  const conflict = conflictFlag(args);
  const ports = await preparePorts(manifest, order, {
    dynamic: args.dynamic,
    overrides,
    conflict,
    force: args.force,
    interactive: options.interactive,
    ask: options.ask,
    dryRun: options.dryRun,
  });
  const dotenvPaths = [
    manifest.env_file,
    ...order.map((n) => manifest.services[n]?.env_file ?? []),
  ].flat();
  const dotenv = loadDotenvFiles([...new Set(dotenvPaths)]);
  const plan = planLaunch({
    manifest,
    order,
    dynamic: args.dynamic,
    overrides,
    conflict,
    interactive: options.interactive,
    facts: { ...ports.facts, ...options.sessions },
    session: options.session,
    processEnv: options.inherited,
    dotenv,
    platform: process.platform,
    ...(options.running === undefined ? {} : { running: options.running }),
  });
  return { plan, holders: ports.holders, dotenv, processEnv: options.inherited };
}

/** Stops the holders the plan lists and reports each port change. */
export async function applyLaunch(
  manifest: Manifest,
  prepared: PreparedLaunch,
  emit: EventSink,
): Promise<void> {
  await applyPortLines(manifest, prepared.plan.ports, prepared.holders, emit);
  warnOverrides({
    manifest,
    ports: prepared.plan.resolved,
    processEnv: prepared.processEnv,
    dotenv: prepared.dotenv,
    emit,
  });
}

/**
 * Writes the plan for a background supervisor. It holds every service's environment, so it is
 * readable by the user only, and the supervisor removes it once read.
 */
export function handOver(plan: LaunchPlan, file: string): void {
  writeFileAtomic(file, JSON.stringify(plan), { mode: 0o600 });
}

/** The plan handed over by `up -d`, checked to be the one for `session`; the file is removed. */
export function takeOver(file: string, session: string): LaunchPlan {
  let plan: Partial<LaunchPlan>;
  try {
    plan = JSON.parse(readFileSync(file, 'utf8')) as Partial<LaunchPlan>;
  } catch (error) {
    throw new DevlaunchError('STATE_INVALID', `cannot read the launch plan ${file}`, {
      cause: error,
    });
  } finally {
    rmSync(file, { force: true });
  }
  if (plan.session !== session || !Array.isArray(plan.services) || !plan.resolved) {
    throw new DevlaunchError(
      'STATE_INVALID',
      `the launch plan ${file} is not for session ${session}`,
    );
  }
  return plan as LaunchPlan;
}
