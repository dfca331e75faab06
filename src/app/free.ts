/**
 * `devlaunch free PORT...`: stops whatever holds these ports, with the safety rules of `kill`,
 * and confirms each port can be bound again.
 *
 * Asking: on a terminal it asks first unless `--yes`, and a "no" exits 3. Without a terminal
 * the command line itself is the consent, as with `kill` and `fuser -k`: a script replacing
 * `lsof -ti :8000 | xargs kill -9` works as written. The safety rules below hold either way.
 *
 * All or nothing: when any holder may not be stopped (init, devlaunch itself, another user's
 * or a system process without --force, a running session of this project without --force),
 * nothing is stopped and the reasons are printed (exit 3).
 */

import { DevlaunchError } from '../errors.js';
import type { Confirmer } from '../ports/ask.js';
import { asAdmin, describeHolder } from '../ports/explain.js';
import { killContext, killRefusal, stopHolders } from '../ports/kill-safety.js';
import type { ClassifiedHolder } from '../ports/ownership.js';
import { waitBindable } from '../ports/probe.js';
import { listProcesses } from '../process/index.js';
import type { CommandContext, FreeArgs } from './options.js';
import { describePort, type PortReport, portReport } from './port-report.js';
import { givenPorts, optionalProject } from './ports.js';

export interface FreeDeps {
  /** A person can be asked (stdin and stdout are both terminals). */
  interactive: boolean;
  /** Asks a yes/no question. */
  confirm: Confirmer;
  /** Shows what would be stopped before asking. */
  show: (text: string) => void;
}

/** How long a port may take to bind again once its holders are gone. */
const BIND_WAIT_MS = 5000;
const DEFAULT_STOP_TIMEOUT_MS = 5000;

export async function freePorts(
  args: FreeArgs,
  ctx: CommandContext,
  deps: FreeDeps,
): Promise<void> {
  const ports = givenPorts(args.ports);
  const project = optionalProject(args, ctx, true);
  const report = await portReport(ports, new Map(), project?.root ?? null);
  for (const r of report) if (r.state.kind === 'free') ctx.say(`port ${r.port} is already free`);
  const busy = report.filter((r) => r.state.kind !== 'free');
  if (busy.length === 0) return;

  const problems = refusals(busy, args.force);
  if (problems.length > 0) {
    throw new DevlaunchError('KILL_REFUSED', `nothing was stopped:\n  ${problems.join('\n  ')}`, {
      hint: 'Stop these yourself, or pick other ports (--port NAME=PORT, --remap).',
    });
  }
  const targets = dedupe(busy.flatMap((r) => (r.state.kind === 'held' ? r.state.holders : [])));
  if (targets.length === 0) return;
  const list = targets.map((h) => `  port ${h.port}: ${describeHolder(h)} [${h.owner}]`).join('\n');
  if (!args.yes && deps.interactive) {
    deps.show(`devlaunch free would stop:\n${list}\n`);
    if (!(await deps.confirm('Stop them?'))) {
      throw new DevlaunchError('KILL_REFUSED', 'nothing was stopped (not confirmed)');
    }
  }
  const results = await stopHolders(
    targets.map((h) => {
      const c = h.classification;
      const recorded =
        c.owner === 'stale-ours' && c.root && c.session ? { ...c.root, session: c.session } : null;
      return { holder: h, recorded };
    }),
    {
      signal: 'SIGTERM',
      timeoutMs: project?.manifest?.stop_timeout ?? DEFAULT_STOP_TIMEOUT_MS,
    },
  );
  for (const h of targets) {
    const forced = results.find((r) => r.pid === h.pid)?.forced ?? false;
    ctx.say(
      `stopped pid ${h.pid} (${h.user}: ${h.command}) that held port ${h.port}${forced ? ' (needed SIGKILL)' : ''}`,
    );
  }
  const stuck: number[] = [];
  for (const { port } of busy) {
    if (await waitBindable(port, BIND_WAIT_MS)) ctx.say(`port ${port} is free`);
    else stuck.push(port);
  }
  if (stuck.length > 0) {
    throw new DevlaunchError(
      'PORT_CONFLICT',
      `port ${stuck.join(', ')} still cannot be bound ${BIND_WAIT_MS} ms after its holders were stopped`,
      {
        hint: `See who holds it now with devlaunch ports ${stuck.join(' ')}.`,
      },
    );
  }
}

/** Why each busy port may not be freed: a holder the safety rules protect, or none to stop. */
function refusals(busy: readonly PortReport[], force: boolean): string[] {
  const ctx = killContext(listProcesses(), force);
  const problems: string[] = [];
  for (const { port, state } of busy) {
    if (state.kind !== 'held') {
      const asRoot = state.kind === 'unknown' ? ` (try ${asAdmin()})` : '';
      problems.push(`port ${port}: ${describePort(state)}${asRoot}`);
      continue;
    }
    for (const h of state.holders) {
      const refusal = killRefusal(h, ctx);
      if (refusal)
        problems.push(
          `port ${port}: ${refusal.reason}${refusal.forceable ? ' (--force stops it anyway)' : ''}`,
        );
      else if (h.owner === 'ours' && !force) {
        problems.push(
          `port ${port}: pid ${h.pid} belongs to the running session ${h.classification.session} of this project (devlaunch down stops it; --force stops this process anyway)`,
        );
      }
    }
  }
  return problems;
}

/** One entry per pid (a process holding several of the ports is stopped once). */
function dedupe(holders: ClassifiedHolder[]): ClassifiedHolder[] {
  const seen = new Set<number>();
  return holders.filter((h) => !seen.has(h.pid) && seen.add(h.pid));
}
