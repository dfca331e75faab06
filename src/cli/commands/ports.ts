/**
 * `devlaunch ports [PORT...]`: for the manifest's ports (every preferred and named port), or the
 * ones given, whether each is free or held, and by whom (pid, user, command, and whether the
 * holder is ours, stale-ours or foreign). Changes nothing. Without a manifest, given ports are
 * still answered: every holder is then foreign, as there is no project state to compare with.
 */
import { DevlaunchError, ExitCode, isDevlaunchError } from '../../errors.js';
import type { Manifest } from '../../manifest/index.js';
import { paint } from '../../output/colors.js';
import { renderTable } from '../../output/index.js';
import { parsePortOverrides } from '../../plan/resolve-ports.js';
import { shortCommand } from '../../ports/explain.js';
import { probePort } from '../../ports/index.js';
import { type ClassifiedHolder, holdersOf } from '../../ports/ownership.js';
import type { Ownership } from '../../ports/types.js';
import { findSession } from '../../session/find.js';
import { type StateProject, stateProject } from '../../session/project.js';
import type { GlobalArgs, PortsArgs } from '../args.js';
import { warn } from '../say.js';

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

/**
 * The project, or null when no manifest is found and the command can do without one. An
 * invalid manifest only warns: the project root (and so its recorded state) is still known.
 */
export function optionalProject(args: GlobalArgs, optional: boolean): StateProject | null {
  try {
    return stateProject({ file: args.file, cwd: process.cwd(), env: process.env }, (text) =>
      warn(args, text),
    );
  } catch (error) {
    if (optional && isDevlaunchError(error) && error.code === 'MANIFEST_NOT_FOUND') return null;
    throw error;
  }
}

/** The ports the running (or last recorded) session resolved, labelled like manifestPorts. */
function recordedPorts(root: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const s of findSession(root)?.state.services ?? []) {
    for (const [name, port] of Object.entries(s.ports)) {
      if (!out.has(port)) out.set(port, name === 'primary' ? s.name : `${s.name}.${name}`);
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

export async function run(args: PortsArgs): Promise<number> {
  const given = [...new Set(args.ports)];
  for (const p of given) {
    if (!Number.isInteger(p) || p < 1 || p > 65535) {
      throw new DevlaunchError('USAGE', `${p} is not a port: expected a number from 1 to 65535`);
    }
  }
  const project = optionalProject(args, given.length > 0);
  const manifest = project?.manifest ?? null;
  const labels = manifest
    ? manifestPorts(manifest, parsePortOverrides(args.port, manifest))
    : project
      ? recordedPorts(project.root)
      : new Map<number, string>();
  const ports = given.length > 0 ? given : [...labels.keys()];
  const { rows, forbidden } = await portsReport(ports, labels, project?.root ?? null);
  if (args.json) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return ExitCode.ok;
  }
  if (rows.length === 0) {
    process.stdout.write('the manifest names no ports (give some: devlaunch ports PORT...)\n');
    return ExitCode.ok;
  }
  const color = paint(process.stdout, args.color);
  const ownerText = (o: Ownership) =>
    o === 'foreign' ? color.yellow(o) : o === 'ours' ? color.green(o) : o;
  const table = rows.map((r) => {
    const state = r.free
      ? color.green('free')
      : forbidden.has(r.port)
        ? color.red('not bindable')
        : color.red('held');
    const h = r.holder;
    return [
      String(r.port),
      r.service ?? '-',
      state,
      h?.pid?.toString() ?? (r.free ? '' : '?'),
      h?.user ?? '',
      h ? ownerText(h.owner) : '',
      h?.command ? shortCommand(h.command) : '',
    ];
  });
  process.stdout.write(
    `${renderTable(['PORT', 'SERVICE', 'STATE', 'PID', 'USER', 'OWNER', 'COMMAND'], table)}\n`,
  );
  for (const port of forbidden) {
    process.stdout.write(
      `port ${port} cannot be bound by this user (privileged or reserved); devlaunch doctor explains why\n`,
    );
  }
  return ExitCode.ok;
}
