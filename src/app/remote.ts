/**
 * The CLI's side of talking to a running session: find it, send it a request over the control
 * channel, show its progress, and turn the answer into a table and an exit code. Used by
 * `restart`, `up SERVICE` into a running session, `down SERVICE` and `status`.
 */

import { callControl } from '../control/client.js';
import type { ControlRequest, OutcomeResult } from '../control/protocol.js';
import { DevlaunchError, ExitCode } from '../errors.js';
import { loadManifest } from '../manifest/index.js';
import { colorEnabled, painter } from '../output/colors.js';
import { createReporter, renderTable, ServiceOutput } from '../output/index.js';
import { portsText } from '../output/service-table.js';
import { checkServiceNames } from '../plan/graph.js';
import { conflictFlag } from '../plan/port-requests.js';
import { type FoundSession, findSession } from './find.js';
import type { GlobalArgs, Terminal } from './options.js';
import { stateProject } from './project.js';

/** The project's running session whose supervisor is alive, or null. */
export function liveSession(root: string): FoundSession | null {
  const found = findSession(root);
  return found?.live ? found : null;
}

/** `restart` (and the like) with no session running: exit 3, as LSB `status` says "not running". */
export function noSession(name: string, root: string): DevlaunchError {
  const found = findSession(root);
  return new DevlaunchError('NO_SESSION', `no session of ${name} is running`, {
    hint: found
      ? `Its supervisor is gone: devlaunch down stops what it left; devlaunch up starts it again.`
      : 'Start it with devlaunch up (or devlaunch up -d to get the terminal back).',
  });
}

/** Sends `request` to the session's supervisor, printing its progress on stderr. */
export function ask<T>(
  found: FoundSession,
  request: ControlRequest,
  args: GlobalArgs,
  term: Terminal,
): Promise<T> {
  const names = found.state.services.map((s) => s.name);
  const color = colorEnabled(term.stderr, args.color);
  const output = new ServiceOutput({ out: term.stderr, color, names, logDir: null });
  const report = createReporter({
    output,
    err: term.stderr,
    color,
    interactive: Boolean(term.stderr.isTTY),
    verbose: args.verbose,
  });
  return callControl<T>(
    { root: found.state.root, session: found.state.session, onEvent: report },
    request,
  );
}

/** The services' outcome as a table on stdout (or JSON); 0 when each is ready, else 1. */
export function printOutcomes(result: OutcomeResult, args: GlobalArgs, term: Terminal): number {
  if (args.json) term.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else if (result.services.length > 0) {
    const rows = result.services.map((s) => [
      s.name,
      s.state,
      s.url ?? '-',
      s.pid === null ? '-' : String(s.pid),
      portsText(s.ports),
    ]);
    term.stdout.write(`${renderTable(['SERVICE', 'STATE', 'URL', 'PID', 'PORTS'], rows)}\n`);
  }
  const failed = result.services.filter((s) => !s.ok);
  for (const s of failed) {
    term.stderr.write(`devlaunch: ${s.name} is not ready: ${s.reason ?? s.state}\n`);
  }
  return failed.length === 0 ? ExitCode.ok : ExitCode.serviceFailed;
}

/**
 * `up SERVICE...` while a session of the project runs: start those (and what they need) inside
 * it, as `docker compose up -d web` does. Returns the exit code, or null when no session runs
 * (then `up` starts one as usual).
 */
export async function upIntoRunningSession(
  args: GlobalArgs & { services: string[] },
  term: Terminal,
): Promise<number | null> {
  const manifest = loadManifest({ file: args.file, cwd: term.cwd, env: term.env });
  checkServiceNames(manifest, args.services);
  const found = liveSession(manifest.root);
  if (found === null || found.state.dynamic) return null;
  // For services the session does not run yet, their ports follow this command line.
  const ports = { conflict: conflictFlag(args), force: args.force, port: args.port };
  const request = { op: 'start' as const, services: args.services, ports };
  return printOutcomes(await ask<OutcomeResult>(found, request, args, term), args, term);
}

/** `restart [SERVICE...]`: each service stopped and started again in the running session. */
export async function restartServices(
  args: GlobalArgs & { services: string[] },
  term: Terminal,
): Promise<number> {
  // From the recorded state, like down: a manifest being edited while the services run gets a
  // warning. The supervisor restarts from the manifest it started with, and checks the names.
  const project = stateProject({ file: args.file, cwd: term.cwd, env: term.env }, (text) =>
    term.stderr.write(`${painter(term.color.stderr).yellow('devlaunch warning:')} ${text}\n`),
  );
  if (project.manifest) checkServiceNames(project.manifest, args.services);
  const found = liveSession(project.root);
  if (found === null) throw noSession(project.name, project.root);
  const request = { op: 'restart' as const, services: args.services };
  return printOutcomes(await ask<OutcomeResult>(found, request, args, term), args, term);
}
