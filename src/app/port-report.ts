/**
 * The port report shared by `ports`, `free` and `doctor`: for each port, whether it is free or
 * held, and by whom (pid, user, command, and whether the holder is ours, stale-ours or foreign).
 * Changes nothing.
 */
import type { Manifest } from '../manifest/index.js';
import { probePort } from '../ports/index.js';
import { type ClassifiedHolder, holdersOf } from '../ports/ownership.js';
import type { Ownership } from '../ports/types.js';

/** One element of `ports --json` (SPEC "Machine-readable output"). */
export interface PortJson {
  port: number;
  /** `service` or `service.name`; null for a port the manifest does not name. */
  service: string | null;
  free: boolean;
  holder: {
    pid: number | null;
    user: string | null;
    command: string | null;
    startedAt: string | null;
    owner: Ownership;
  } | null;
}

/** The manifest's preferred ports, labelled `service` / `service.name`, overrides applied. */
export function manifestPorts(
  manifest: Manifest,
  overrides: Record<string, number> = {},
): Map<number, string> {
  const out = new Map<number, string>();
  for (const [service, config] of Object.entries(manifest.services)) {
    const primary = overrides[service] ?? config.port;
    if (typeof primary === 'number' && !out.has(primary)) out.set(primary, service);
    for (const [name, preferred] of Object.entries(config.ports)) {
      const port = overrides[`${service}.${name}`] ?? preferred;
      if (typeof port === 'number' && !out.has(port)) out.set(port, `${service}.${name}`);
    }
  }
  return out;
}

/** Of several processes sharing a port (a parent and the workers it forked), the top one. */
export function mainHolder<H extends { pid: number; ppid: number }>(
  holders: readonly H[],
): H | null {
  const pids = new Set(holders.map((h) => h.pid));
  return holders.find((h) => !pids.has(h.ppid)) ?? holders[0] ?? null;
}

export async function portsReport(
  ports: number[],
  labels: Map<number, string>,
  root: string | null,
): Promise<{ rows: PortJson[]; forbidden: Set<number> }> {
  const probes = await Promise.all(ports.map((p) => probePort(p)));
  const busy = ports.filter((_, i) => !probes[i]?.free);
  const holders: ClassifiedHolder[] = busy.length > 0 ? await holdersOf(busy, root) : [];
  const forbidden = new Set<number>();
  const rows = ports.map((port, i): PortJson => {
    const probe = probes[i];
    const service = labels.get(port) ?? null;
    if (probe === undefined || probe.free) return { port, service, free: true, holder: null };
    const h = mainHolder(holders.filter((x) => x.port === port));
    if (h === null) {
      // Nothing listens, yet binding fails: a privileged or reserved port.
      if (probe.reason === 'forbidden') {
        forbidden.add(port);
        return { port, service, free: false, holder: null };
      }
      return {
        port,
        service,
        free: false,
        holder: { pid: null, user: null, command: null, startedAt: null, owner: 'foreign' },
      };
    }
    return {
      port,
      service,
      free: false,
      holder: {
        pid: h.pid,
        user: h.user,
        command: h.command,
        startedAt: h.startedAt,
        owner: h.owner,
      },
    };
  });
  return { rows, forbidden };
}
