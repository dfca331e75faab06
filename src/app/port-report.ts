/**
 * The port report shared by `ports`, `free` and `doctor`: for each port, whether it is free or
 * held, and by whom (pid, user, command, and whether the holder is ours, stale-ours or foreign).
 * One data shape, one sentence per state: `ports` prints it as a table (or JSON), `doctor`
 * turns it into checks, `free` decides from it what to stop. Changes nothing.
 */
import type { Manifest } from '../manifest/index.js';
import type { Painter } from '../output/colors.js';
import { renderTable } from '../output/index.js';
import { describeHolder, shortCommand } from '../ports/explain.js';
import { probePort } from '../ports/index.js';
import { type ClassifiedHolder, holdersOf } from '../ports/ownership.js';
import type { Ownership } from '../ports/types.js';

/** How a port is, as the OS shows it now. */
export type PortState =
  | { kind: 'free' }
  /** `holders`: every process listening on it (a parent and the workers it forked); `main`: the top one. */
  | { kind: 'held'; holders: ClassifiedHolder[]; main: ClassifiedHolder }
  /** In use, but the OS names no process (another user's, without the privilege to see it). */
  | { kind: 'unknown' }
  /** Nothing holds it, yet this user may not bind it: a privileged or reserved port. */
  | { kind: 'forbidden'; code: string; address: string };

export interface PortReport {
  port: number;
  /** `service` or `service.name`; null for a port the manifest does not name. */
  service: string | null;
  state: PortState;
}

/** One element of `ports --json` (SPEC "Machine-readable output"). */
export interface PortJson {
  port: number;
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

/**
 * Each of `ports`, probed, and its holders looked up and classified against the sessions
 * recorded under `root` (null: no project, so every holder is foreign).
 */
export async function portReport(
  ports: readonly number[],
  labels: ReadonlyMap<number, string>,
  root: string | null,
): Promise<PortReport[]> {
  const probes = await Promise.all(ports.map((p) => probePort(p)));
  const busy = ports.filter((_, i) => probes[i]?.free === false);
  const holders = busy.length > 0 ? await holdersOf(busy, root) : [];
  return Promise.all(
    ports.map(async (port, i): Promise<PortReport> => {
      const service = labels.get(port) ?? null;
      const own = holders.filter((h) => h.port === port);
      const main = mainHolder(own);
      if (main !== null) return { port, service, state: { kind: 'held', holders: own, main } };
      // Busy without a holder: it may have been let go since the probe, so ask once more.
      let probe = probes[i];
      if (probe !== undefined && !probe.free) probe = await probePort(port);
      if (probe === undefined || probe.free) return { port, service, state: { kind: 'free' } };
      if (probe.reason === 'forbidden') {
        return {
          port,
          service,
          state: { kind: 'forbidden', code: probe.code, address: probe.address },
        };
      }
      return { port, service, state: { kind: 'unknown' } };
    }),
  );
}

/** The state in one phrase: `free`, `held by pid 42 (user ann): node x.js`, … */
export function describePort(state: PortState): string {
  switch (state.kind) {
    case 'free':
      return 'free';
    case 'held':
      return `held by ${describeHolder(state.main)}`;
    case 'unknown':
      return "in use, but the OS does not say by which process (another user's?)";
    case 'forbidden':
      return `this user may not bind it (${state.code} on ${state.address}: privileged or reserved), though nothing holds it`;
  }
}

/** The element of `ports --json`. */
export function portJson(r: PortReport): PortJson {
  const { port, service, state } = r;
  switch (state.kind) {
    case 'free':
      return { port, service, free: true, holder: null };
    case 'forbidden':
      return { port, service, free: false, holder: null };
    case 'unknown':
      return {
        port,
        service,
        free: false,
        holder: { pid: null, user: null, command: null, startedAt: null, owner: 'foreign' },
      };
    case 'held': {
      const h = state.main;
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
    }
  }
}

/** `ports` as a table, with a line under it for each port this user may not bind. */
export function renderPortTable(rows: readonly PortReport[], color: Painter): string {
  const ownerText = (o: Ownership) =>
    o === 'foreign' ? color.yellow(o) : o === 'ours' ? color.green(o) : o;
  const table = rows.map((r) => {
    const kind = r.state.kind;
    const state =
      kind === 'free'
        ? color.green('free')
        : kind === 'forbidden'
          ? color.red('not bindable')
          : color.red('held');
    const h = portJson(r).holder;
    return [
      String(r.port),
      r.service ?? '-',
      state,
      h?.pid?.toString() ?? (kind === 'free' ? '' : '?'),
      h?.user ?? '',
      h ? ownerText(h.owner) : '',
      h?.command ? shortCommand(h.command) : '',
    ];
  });
  const notes = rows
    .filter((r) => r.state.kind === 'forbidden')
    .map((r) => `port ${r.port}: ${describePort(r.state)}; devlaunch doctor explains why\n`);
  return `${renderTable(['PORT', 'SERVICE', 'STATE', 'PID', 'USER', 'OWNER', 'COMMAND'], table)}\n${notes.join('')}`;
}
