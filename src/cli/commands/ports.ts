/**
 * `devlaunch ports [PORT...]`: for the manifest's ports (every preferred and named port), or the
 * ones given, whether each is free or held, and by whom (pid, user, command, and whether the
 * holder is ours, stale-ours or foreign). Changes nothing. Without a manifest, given ports are
 * still answered: every holder is then foreign, as there is no project state to compare with.
 */

import { findSession } from '../../app/find.js';
import type { GlobalArgs, PortsArgs } from '../../app/options.js';
import { manifestPorts, portsReport } from '../../app/port-report.js';
import { type StateProject, stateProject } from '../../app/project.js';
import { DevlaunchError, ExitCode, isDevlaunchError } from '../../errors.js';
import { paint } from '../../output/colors.js';
import { renderTable } from '../../output/index.js';
import { parsePortOverrides } from '../../plan/port-requests.js';
import { shortCommand } from '../../ports/explain.js';
import type { Ownership } from '../../ports/types.js';
import { warn } from '../say.js';

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
