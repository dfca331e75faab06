/**
 * `devlaunch up -d` (`--detach`, `--wait`): resolve the ports here, where a question can still
 * be asked on the terminal, then start a background supervisor that holds none of the caller's
 * terminal or pipes (so `out=$(devlaunch up -d)` returns), and wait until every service is
 * ready (exit 0, with the table) or the supervisor gives up (exit with its code, and why).
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadDotenvFiles } from '../env/index.js';
import { ExitCode } from '../errors.js';
import { loadManifest } from '../manifest/index.js';
import type { Manifest } from '../manifest/types.js';
import { colorEnabled, paint } from '../output/colors.js';
import { createReporter, renderTable, ServiceOutput } from '../output/index.js';
import { checkServiceNames, startOrder, withDependencies } from '../plan/graph.js';
import { conflictFlag, parsePortOverrides, resolvePorts } from '../ports/resolve-ports.js';
import { startBackground } from '../process/launch.js';
import { readState, sessionFile } from '../state/index.js';
import { clearEarlierSessions, newSessionId } from './open-session.js';
import type { Terminal, UpArgs } from './options.js';
import { warnOverrides } from './override-warnings.js';

const POLL_MS = 25;

export async function upDetached(args: UpArgs, term: Terminal): Promise<number> {
  const manifest = loadManifest({ file: args.file, cwd: process.cwd(), env: process.env });
  checkServiceNames(manifest, args.services);
  const names = startOrder(manifest, withDependencies(manifest, args.services));
  const overrides = parsePortOverrides(args.port, manifest);
  // What happens before detaching (leftovers reclaimed, ports remapped) is said here, on stderr.
  const output = new ServiceOutput({
    out: term.stderr,
    color: colorEnabled(term.stderr, args.color),
    names,
    logDir: null,
  });
  const note = createReporter({
    output,
    err: term.stderr,
    color: colorEnabled(term.stderr, args.color),
    interactive: false,
    verbose: args.verbose,
  });
  if (!args.dynamic) await clearEarlierSessions(manifest, note);
  const ports = await resolvePorts(manifest, names, {
    dynamic: args.dynamic,
    overrides,
    conflict: conflictFlag(args),
    force: args.force,
    emit: note,
  });

  const dotenvPaths = [
    manifest.env_file,
    ...names.map((n) => manifest.services[n]?.env_file ?? []),
  ];
  const dotenv = loadDotenvFiles([...new Set(dotenvPaths.flat())]);
  warnOverrides({ manifest, ports, processEnv: process.env, dotenv, emit: note });

  const id = newSessionId();
  const file = sessionFile(manifest.root, args.dynamic ? id : undefined);
  mkdirSync(dirname(file), { recursive: true });
  const logFile = join(dirname(file), 'supervisor.log');
  const portArgs = names.flatMap((name) => {
    const p = ports[name];
    if (!p) return [];
    return [
      ...(p.primary === null ? [] : ['--port', `${name}=${p.primary}`]),
      ...Object.entries(p.named).flatMap(([k, v]) => ['--port', `${name}.${k}=${v}`]),
    ];
  });
  const out = openSync(logFile, 'w');
  const child = startBackground(
    [
      process.argv[1] ?? 'devlaunch',
      'up',
      ...args.services,
      '--file',
      manifest.file,
      ...portArgs,
      '--fail',
      ...(args.force ? ['--force'] : []),
      ...(args.exitOnFailure ? ['--exit-on-failure'] : []),
      ...(args.verbose ? ['--verbose'] : []),
      ...(args.open ? [] : ['--no-open']),
      ...(args.dashboard ? [] : ['--no-dashboard']),
      '--no-color',
    ],
    {
      cwd: process.cwd(),
      outFd: out,
      env: {
        ...process.env,
        DEVLAUNCH_DETACHED_SESSION: id,
        DEVLAUNCH_DETACHED_DYNAMIC: args.dynamic ? '1' : '',
        // Every process devlaunch starts carries the session; the role keeps sweeps off it.
        DEVLAUNCH_SESSION: id,
        DEVLAUNCH_ROLE: 'supervisor',
      },
    },
  );
  closeSync(out);

  for (;;) {
    const exitCode = child.exitCode();
    if (exitCode !== null) {
      term.stderr.write(explainFailure(logFile));
      return exitCode === 0 ? ExitCode.serviceFailed : exitCode;
    }
    const read = readState(file);
    if (
      read.kind === 'ok' &&
      read.state.supervisor.pid === child.pid &&
      allReady(read.state.services)
    ) {
      child.unref();
      printReady(manifest, read.state.services, args, file, term);
      return ExitCode.ok;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

function allReady(services: { state: string }[]): boolean {
  return (
    services.length > 0 && services.every((s) => s.state === 'ready' || s.state === 'completed')
  );
}

function printReady(
  manifest: Manifest,
  services: {
    name: string;
    url: string | null;
    pid: number | null;
    ports: Record<string, number>;
  }[],
  args: UpArgs,
  file: string,
  term: Terminal,
): void {
  const rows = services.map((s) => [
    s.name,
    s.url ?? '-',
    s.pid === null ? '-' : String(s.pid),
    Object.values(s.ports).join(',') || '-',
  ]);
  term.stdout.write(`${renderTable(['SERVICE', 'URL', 'PID', 'PORTS'], rows)}\n`);
  const color = paint(term.stderr, args.color);
  term.stderr.write(
    `${color.dim('devlaunch')} ${manifest.name} runs in the background; logs in ${join(dirname(file), 'logs')}. Stop it with: devlaunch down\n`,
  );
}

/** The supervisor's own report (its failure message and the service's last lines). */
function explainFailure(logFile: string): string {
  const text = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
  const lines = text.trimEnd().split('\n').slice(-40).join('\n');
  return lines
    ? `${lines}\n`
    : 'devlaunch: the background supervisor stopped before every service was ready\n';
}
