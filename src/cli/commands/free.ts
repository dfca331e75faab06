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

import type { FreeArgs } from '../../app/options.js';
import { DevlaunchError, ExitCode } from '../../errors.js';
import { type Confirmer, isInteractive, terminalConfirmer } from '../../ports/ask.js';
import { describeHolder } from '../../ports/explain.js';
import { probePort } from '../../ports/index.js';
import { killContext, killRefusal, stopHolders } from '../../ports/kill-safety.js';
import { type ClassifiedHolder, holdersOf } from '../../ports/ownership.js';
import { waitBindable } from '../../ports/probe.js';
import { listProcesses } from '../../process/index.js';
import { say } from '../say.js';
import { optionalProject } from './ports.js';

export interface FreeDeps {
  /** Default: stdin and stdout are both terminals. */
  interactive?: boolean;
  /** Default: a y/N question on the terminal. */
  confirm?: Confirmer;
}

/** How long a port may take to bind again once its holders are gone. */
const BIND_WAIT_MS = 5000;
const DEFAULT_STOP_TIMEOUT_MS = 5000;

export async function run(args: FreeArgs, deps: FreeDeps = {}): Promise<number> {
  const ports = [...new Set(args.ports)];
  for (const p of ports) {
    if (!Number.isInteger(p) || p < 1 || p > 65535) {
      throw new DevlaunchError('USAGE', `${p} is not a port: expected a number from 1 to 65535`);
    }
  }
  const project = optionalProject(args, true);
  const manifest = project?.manifest ?? null;
  const busy: number[] = [];
  for (const port of ports) {
    const probe = await probePort(port);
    if (probe.free) say(args, `port ${port} is already free`);
    else busy.push(port);
  }
  if (busy.length === 0) return ExitCode.ok;

  const holders = await holdersOf(busy, project?.root ?? null);
  const ctx = killContext(listProcesses(), args.force);
  const problems: string[] = [];
  for (const port of busy) {
    const own = holders.filter((h) => h.port === port);
    if (own.length === 0) {
      const again = await probePort(port);
      if (again.free) continue;
      problems.push(
        again.reason === 'forbidden'
          ? `port ${port}: nothing holds it, but this user may not bind it (${again.code}: privileged or reserved)`
          : `port ${port}: in use, but the OS does not say by which process (another user's? try as root)`,
      );
    }
    for (const h of own) {
      const refusal = killRefusal(h, ctx);
      if (refusal)
        problems.push(
          `port ${port}: ${refusal.reason}${refusal.forceable ? ' (--force stops it anyway)' : ''}`,
        );
      else if (h.owner === 'ours' && !args.force) {
        problems.push(
          `port ${port}: pid ${h.pid} belongs to the running session ${h.classification.session} of this project (devlaunch down stops it; --force stops this process anyway)`,
        );
      }
    }
  }
  if (problems.length > 0) {
    throw new DevlaunchError('KILL_REFUSED', `nothing was stopped:\n  ${problems.join('\n  ')}`, {
      hint: 'Stop these yourself, or pick other ports (--port NAME=PORT, --remap).',
    });
  }
  const targets = dedupe(holders);
  if (targets.length === 0) return ExitCode.ok;
  const list = targets.map((h) => `  port ${h.port}: ${describeHolder(h)} [${h.owner}]`).join('\n');
  if (!args.yes && (deps.interactive ?? isInteractive())) {
    process.stdout.write(`devlaunch free would stop:\n${list}\n`);
    const confirm = deps.confirm ?? terminalConfirmer;
    if (!(await confirm('Stop them?'))) {
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
    { signal: 'SIGTERM', timeoutMs: manifest?.stop_timeout ?? DEFAULT_STOP_TIMEOUT_MS },
  );
  for (const h of targets) {
    const forced = results.find((r) => r.pid === h.pid)?.forced ?? false;
    say(
      args,
      `stopped pid ${h.pid} (${h.user}: ${h.command}) that held port ${h.port}${forced ? ' (needed SIGKILL)' : ''}`,
    );
  }
  const stuck: number[] = [];
  for (const port of busy) {
    if (await waitBindable(port, BIND_WAIT_MS)) say(args, `port ${port} is free`);
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
  return ExitCode.ok;
}

/** One entry per pid (a process holding several of the ports is stopped once). */
function dedupe(holders: ClassifiedHolder[]): ClassifiedHolder[] {
  const seen = new Set<number>();
  return holders.filter((h) => !seen.has(h.pid) && seen.add(h.pid));
}
