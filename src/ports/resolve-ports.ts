/**
 * Decides the port of every service of a session, before anything starts, in three steps
 * around the pure plan (plan/port-plan.ts): gather facts (probes, holders), plan, ask the
 * person where the plan holds a question, find fresh ports where it needs them, and, in
 * `resolvePorts`, apply it (stop the holders it lists). A plan that cannot go on ends the
 * run with its reason before anything is stopped.
 */
import type { ResolvedPorts } from '../env/names.js';
import type { Manifest } from '../manifest/types.js';
import type { EventSink } from '../output/events.js';
import { type LaunchFacts, noFacts } from '../plan/facts.js';
import { type PortPlan, type PortPlanInput, planPorts } from '../plan/port-plan.js';
import { portRequests } from '../plan/port-requests.js';
import { applyPortLines, portPlanError } from './apply.js';
import { type Asker, isInteractive, terminalAsker } from './ask.js';
import { findFreshPorts, gatherPortFacts } from './gather.js';
import type { ClassifiedHolder } from './ownership.js';

export interface PortResolveOptions {
  /** Every port fresh from the OS; preferred ports ignored; nothing killed. */
  dynamic: boolean;
  /** `--port NAME=PORT` overrides, by service name (primary port) or `service.name`. */
  overrides: Record<string, number>;
  /** `--kill` / `--remap` / `--fail` (see `conflictFlag`): overrides on_conflict. Default null. */
  conflict?: 'kill' | 'remap' | 'fail' | null;
  /** `--force`: may stop other users' and system processes. Default false. */
  force?: boolean;
  /** Someone can be asked (`ask`). Default: stdin and stdout are both terminals. */
  interactive?: boolean;
  /** Asks what to do about a foreign holder. Default: a question on the terminal. */
  ask?: Asker;
  /** Receives `port-reclaimed`, `port-freed` and `port-remapped`. Default: dropped. */
  emit?: EventSink;
  /** Plan only: ask nothing, throw nothing for a plan that cannot go on. Default false. */
  dryRun?: boolean;
}

export interface PreparedPorts {
  plan: PortPlan;
  /** The facts the plan was made from, answers and fresh ports included. */
  facts: LaunchFacts;
  /** The holders found on each held port, for stopping them. */
  holders: Map<number, ClassifiedHolder[]>;
}

/** Gathers, plans, asks and finds fresh ports; stops nothing. */
export async function preparePorts(
  manifest: Manifest,
  names: readonly string[],
  options: PortResolveOptions,
): Promise<PreparedPorts> {
  const requests = portRequests(manifest, names, options.overrides);
  const gathered = await gatherPortFacts(manifest, requests, {
    dynamic: options.dynamic,
    force: options.force ?? false,
  });
  const facts: LaunchFacts = {
    ...noFacts(),
    ports: gathered.findings,
    reserved: gathered.reserved,
  };
  const input: PortPlanInput = {
    manifest,
    order: names,
    dynamic: options.dynamic,
    overrides: options.overrides,
    conflict: options.conflict ?? null,
    interactive: options.interactive ?? isInteractive(),
    facts,
  };
  const planned = (): PortPlan => {
    const plan = planPorts(input);
    const error = options.dryRun ? null : portPlanError(plan.lines, gathered.holders);
    if (error) throw error;
    return plan;
  };
  let plan = planned();
  if (!options.dryRun && plan.lines.some((l) => l.status === 'ask')) {
    const ask = options.ask ?? terminalAsker;
    for (const line of plan.lines) {
      if (line.status !== 'ask') continue;
      const holders = gathered.holders.get(line.port) ?? [];
      facts.answers[line.label] = await ask({
        service: line.service,
        label: line.label,
        port: line.port,
        holders,
      });
    }
    plan = planned();
  }
  facts.fresh = await findFreshPorts(plan.lines, facts.reserved);
  return { plan: planned(), facts, holders: gathered.holders };
}

/** Every service's port, decided and applied: the holders the plan stops are stopped. */
export async function resolvePorts(
  manifest: Manifest,
  names: readonly string[],
  options: PortResolveOptions,
): Promise<ResolvedPorts> {
  const prepared = await preparePorts(manifest, names, options);
  await applyPortLines(manifest, prepared.plan.lines, prepared.holders, options.emit ?? (() => {}));
  return prepared.plan.resolved;
}
