/**
 * `devlaunch ports [PORT...]`: for the manifest's ports (every preferred and named port), or the
 * ones given, whether each is free or held, and by whom (pid, user, command, and whether the
 * holder is ours, stale-ours or foreign). Changes nothing. Without a manifest, given ports are
 * still answered: every holder is then foreign, as there is no project state to compare with.
 */
import { DevlaunchError, isDevlaunchError } from '../errors.js';
import { parsePortOverrides } from '../plan/port-requests.js';
import { findSession } from './find.js';
import type { CommandContext, GlobalArgs, PortsArgs } from './options.js';
import { manifestPorts, type PortReport, portReport } from './port-report.js';
import { type StateProject, stateProject } from './project.js';

/**
 * The project, or null when no manifest is found and the command can do without one. An
 * invalid manifest only warns: the project root (and so its recorded state) is still known.
 */
export function optionalProject(
  args: GlobalArgs,
  ctx: CommandContext,
  optional: boolean,
): StateProject | null {
  try {
    return stateProject({ file: args.file, cwd: ctx.cwd, env: ctx.env }, ctx.warn);
  } catch (error) {
    if (optional && isDevlaunchError(error) && error.code === 'MANIFEST_NOT_FOUND') return null;
    throw error;
  }
}

/** Every port given on the command line is one (USAGE otherwise); duplicates dropped. */
export function givenPorts(ports: readonly number[]): number[] {
  const given = [...new Set(ports)];
  for (const p of given) {
    if (!Number.isInteger(p) || p < 1 || p > 65535) {
      throw new DevlaunchError('USAGE', `${p} is not a port: expected a number from 1 to 65535`);
    }
  }
  return given;
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

export async function reportPorts(args: PortsArgs, ctx: CommandContext): Promise<PortReport[]> {
  const given = givenPorts(args.ports);
  const project = optionalProject(args, ctx, given.length > 0);
  const manifest = project?.manifest ?? null;
  const labels = manifest
    ? manifestPorts(manifest, parsePortOverrides(args.port, manifest))
    : project
      ? recordedPorts(project.root)
      : new Map<number, string>();
  const ports = given.length > 0 ? given : [...labels.keys()];
  return portReport(ports, labels, project?.root ?? null);
}
