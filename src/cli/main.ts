/**
 * The CLI boundary: parses the command line, loads the one command it needs, and turns
 * errors into the exit codes of the contract. It is the only module that knows yargs, and
 * the only place that prints an error and exits.
 */
import { createRequire } from 'node:module';
import type { GlobalArgs } from '../app/options.js';
import { setProcessWarningSink } from '../process/warnings.js';
import { fastParse } from './fast-parse.js';

type Loader = () => Promise<{ run: (args: never) => Promise<number> }>;

/** Command modules, loaded only when their command runs. */
const commands: Record<string, Loader> = {
  up: () => import('./commands/up.js'),
  down: () => import('./commands/down.js'),
  restart: () => import('./commands/restart.js'),
  run: () => import('./commands/run.js'),
  // With nothing running (the everyday case) a small bundle answers alone (status-none.ts).
  status: () => import('./status-none.js').then((quick) => ({ run: statusRun(quick.run) })),
  env: () => import('./commands/env.js'),
  ports: () => import('./commands/ports.js'),
  free: () => import('./commands/free.js'),
  logs: () => import('./commands/logs.js'),
  config: () => import('./commands/config.js'),
  doctor: () => import('./commands/doctor.js'),
  // Shipped in status's bundle: it reads the same session state.
  dashboard: () => import('./commands/status.js').then((m) => ({ run: m.dashboard })),
  init: () => import('./commands/init.js'),
};

/** `status`: the quick answer when nothing runs, else the status command. */
function statusRun(quick: (args: GlobalArgs) => Promise<number | undefined>) {
  return async (args: GlobalArgs): Promise<number> =>
    (await quick(args)) ?? (await import('./commands/status.js')).run(args);
}

async function main(args: string[]): Promise<void> {
  let exitCode = 0;
  let session = false;
  setProcessWarningSink((message) => process.stderr.write(`devlaunch: warning: ${message}\n`));
  try {
    const parsed = fastParse(args) ?? (await (await import('./parser.js')).buildParser(args));
    if (parsed === undefined) return; // --help, or yargs already reported a usage error
    const load = Object.hasOwn(commands, parsed.command) ? commands[parsed.command] : undefined;
    if (load === undefined) throw new Error(`no module for command ${parsed.command}`);
    const mod = await load();
    exitCode = await mod.run(parsed.args as never);
    session = parsed.command === 'up' || parsed.command === 'run';
  } catch (error) {
    const { reportError } = await import('./report-error.js');
    exitCode = reportError(error, args);
    // Stopped by down while starting: nothing runs; a question still open on stdin must not
    // keep devlaunch waiting.
    if (error instanceof Error && error.name === 'StoppedByDown') process.exit(exitCode);
  }
  process.exitCode = exitCode;
  // A session that has ended closed, flushed and waited for everything it started: leaving now
  // spares tearing V8's heap down page by page (20-40 ms after the last line, on a loaded
  // machine). Output still queued (an asynchronous pipe or terminal, outside Linux) drains first.
  if (session && process.stdout.writableLength === 0 && process.stderr.writableLength === 0) {
    process.exit(exitCode);
  }
}

export type { GlobalArgs };

// Last, so every table above is initialised before main() reads it.
const argv = process.argv.slice(2);

// `--version` is answered before yargs (≈10 ms even bundled) is loaded.
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  const pkg = createRequire(import.meta.url)('../../package.json') as { version: string };
  process.stdout.write(`${pkg.version}\n`);
} else {
  void main(argv);
}
