/**
 * Applies the port part of a launch plan: stops the holders it lists (leftovers of our dead
 * sessions, and foreign holders the person or a flag agreed to stop), waits until each port
 * binds, and reports every change. Also turns a plan that cannot go on into its error.
 */
import { DevlaunchError } from '../errors.js';
import type { Manifest } from '../manifest/types.js';
import type { EventSink } from '../output/events.js';
import type { PortLine } from '../plan/port-plan.js';
import { conflictError, stillBusyError } from './explain.js';
import { stopHolders } from './kill-safety.js';
import type { ClassifiedHolder } from './ownership.js';
import { waitBindable } from './probe.js';

/** How long a port may take to become bindable after its holder is gone. */
const BIND_WAIT_MS = 5000;

/** The error that ends the run for the first line that cannot go on, or null. */
export function portPlanError(
  lines: readonly PortLine[],
  holders: ReadonlyMap<number, ClassifiedHolder[]>,
): DevlaunchError | null {
  for (const line of lines) {
    if (line.status === 'twice') {
      return new DevlaunchError(
        'USAGE',
        `port ${line.port} is asked for by both ${line.with} and ${line.label}`,
        { hint: `Give one of them another port with --port ${line.label}=PORT.` },
      );
    }
    if (line.status !== 'fail') continue;
    const { finding, port } = line;
    const held = finding.kind === 'held' ? finding.holders : [];
    return conflictError(line.failure, {
      port,
      label: line.label,
      holders: holders.get(port) ?? [],
      session: held.find((h) => h.owner === 'ours')?.session ?? null,
      refusals: held.flatMap((h) => (h.refusal ? [h.refusal] : [])),
      code: finding.kind === 'forbidden' ? finding.code : undefined,
    });
  }
  return null;
}

/** Stops what the plan stops and reports remaps, in the plan's order. */
export async function applyPortLines(
  manifest: Manifest,
  lines: readonly PortLine[],
  holders: ReadonlyMap<number, ClassifiedHolder[]>,
  emit: EventSink,
): Promise<void> {
  for (const line of lines) {
    if (line.status !== 'ok') continue;
    if (line.reason === 'remapped') {
      emit({
        type: 'port-remapped',
        service: line.service,
        portName: line.name,
        from: line.from,
        to: line.port,
        reason: line.why,
      });
    }
    if (line.reason !== 'reclaimed' && line.reason !== 'freed') continue;
    const found = holders.get(line.port) ?? [];
    const timeoutMs = manifest.services[line.service]?.stop_timeout ?? manifest.stop_timeout;
    await stopHolders(
      found.map((h) => {
        const c = h.classification;
        const recorded =
          c.owner === 'stale-ours' && c.root && c.session
            ? { ...c.root, session: c.session }
            : null;
        return { holder: h, recorded };
      }),
      { signal: 'SIGTERM', timeoutMs },
    );
    for (const h of found) {
      const type = h.owner === 'stale-ours' ? 'port-reclaimed' : 'port-freed';
      emit({ type, service: line.service, port: line.port, pid: h.pid, command: h.command });
    }
    if (!(await waitBindable(line.port, BIND_WAIT_MS))) {
      throw stillBusyError(line.port, line.label, BIND_WAIT_MS);
    }
  }
}
