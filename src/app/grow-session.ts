/**
 * `up SERVICE` into a running session for a service it does not run yet (it was started with
 * `up backend` only): the supervisor plans the newcomers' ports by the usual rules (the
 * session's `--dynamic`, the manifest's `on_conflict`; nobody at a terminal to ask, so `ask`
 * means `fail`), stops what that plan stops, gives them the environment of the session as it
 * really is (the running services' actual ports), and adds them to the supervisor, pending.
 * The session id stays; the caller then starts them like any other `up SERVICE`.
 */
import type { PortOptions } from '../control/protocol.js';
import type { ResolvedPorts } from '../env/names.js';
import type { Manifest } from '../manifest/types.js';
import type { EventSink, SupervisorEvent } from '../output/events.js';
import { startOrder, withDependencies } from '../plan/graph.js';
import type { PlannedService } from '../plan/launch-plan.js';
import type { ServiceRunner } from '../supervisor/service-runner.js';
import type { Supervisor } from '../supervisor/supervisor.js';
import { applyLaunch, prepareLaunch } from './launch.js';
import type { GlobalArgs } from './options.js';

export interface SessionGrowth {
  manifest: Manifest;
  session: string;
  /** The session's own options (its --dynamic, --force, ...). */
  args: GlobalArgs;
  /** The environment services inherit. */
  inherited: Record<string, string | undefined>;
  supervisor: Supervisor;
  emit: EventSink;
  /** A runner for a planned service, wired like the session's others. */
  runnerFor: (planned: PlannedService) => ServiceRunner;
}

/**
 * Adds `names` and what they need that the session does not run; resolves with the warnings
 * it also emitted (for the caller that asked). Throws the usual port conflict error (exit 3)
 * when a port cannot be had, having added nothing.
 */
export async function growSession(
  g: SessionGrowth,
  names: readonly string[],
  ports?: PortOptions,
): Promise<SupervisorEvent[]> {
  const { manifest, supervisor } = g;
  const inSession = new Set(supervisor.services.map((r) => r.name));
  const order = startOrder(manifest, withDependencies(manifest, names)).filter(
    (n) => !inSession.has(n),
  );
  if (order.length === 0) return [];
  const running: ResolvedPorts = {};
  for (const r of supervisor.services) {
    const { primary = null, ...named } = r.spec.ports;
    running[r.name] = { primary, named };
  }
  const prepared = await prepareLaunch({
    manifest,
    order,
    session: g.session,
    // The `up SERVICE` command line's port options, else the session's own.
    args:
      ports === undefined
        ? g.args
        : {
            ...g.args,
            kill: ports.conflict === 'kill',
            remap: ports.conflict === 'remap',
            fail: ports.conflict === 'fail',
            force: ports.force,
            port: ports.port,
          },
    inherited: g.inherited,
    interactive: false,
    running,
  });
  await applyLaunch(manifest, prepared, g.emit);
  supervisor.add(prepared.plan.services.map(g.runnerFor));
  const warnings = movedPorts(manifest, prepared.plan.resolved, order, [...inSession]).map(
    (w): SupervisorEvent => ({ type: 'message', level: 'warn', ...w }),
  );
  for (const warning of warnings) g.emit(warning);
  return warnings;
}

/**
 * The services already running were started with every service's variables, those outside
 * the session at their preferred ports. A newcomer that got another port (remapped, `auto`)
 * is not where they were told: say so, and how to tell them.
 */
export function movedPorts(
  manifest: Manifest,
  resolved: ResolvedPorts,
  added: readonly string[],
  running: readonly string[],
): { text: string; hint: string }[] {
  if (running.length === 0) return [];
  const out: { text: string; hint: string }[] = [];
  for (const name of added) {
    const told = manifest.services[name]?.port;
    const got = resolved[name]?.primary ?? null;
    if (got === null || told === got) continue;
    out.push({
      text: `${name} got port ${got}, but ${running.join(', ')} ${running.length === 1 ? 'was' : 'were'} started with ${name}'s variables at ${typeof told === 'number' ? `port ${told}` : 'no port'}`,
      hint: `devlaunch restart ${running.join(' ')} gives them the new values.`,
    });
  }
  return out;
}
