/**
 * The command line, declared once with yargs. Returns which command to run and its arguments.
 * The everyday command lines are parsed without yargs by `fastParse` in main.ts, which must give
 * the same result: an option or default changed here changes there too. Which shared option
 * each command takes is in command-options.ts, read by both.
 */
import { createRequire } from 'node:module';
import yargs, { type Argv } from 'yargs';
import { DevlaunchError } from '../errors.js';
import { COMMAND_NAMES, UP_JSON_NEEDS_DRY_RUN } from './command-options.js';
import { SHARED_DEFAULTS } from './fast-parse.js';
import { options } from './parser-options.js';
import { usageError } from './usage-hint.js';

export interface ParsedCommand {
  command: string;
  args: Record<string, unknown>;
}

const services = (y: Argv) =>
  y.positional('services', { type: 'string', array: true, default: [] as string[] });
const portsList = (y: Argv) =>
  y.positional('ports', { type: 'number', array: true, describe: 'port numbers' });

export async function buildParser(argv: string[]): Promise<ParsedCommand | undefined> {
  let chosen: string | undefined;
  const set = (name: string) => () => {
    chosen = name;
  };
  const input = helpCommand(argv);
  const parser = yargs(followFlag(input))
    .scriptName('devlaunch')
    .parserConfiguration({ 'populate--': true, 'strip-aliased': true, 'strip-dashed': true })
    .usage('$0 <command> [options]\n\nStart and stop the services of a multi-service project.')
    .option('color', {
      type: 'boolean',
      describe: 'colour output even when piped (--no-color, NO_COLOR or FORCE_COLOR=0: none)',
      global: true,
    })
    .command(
      'up [services..]',
      'start the services (and what they depend on), wait until ready, stream output',
      options('up', (y) =>
        services(y)
          .option('detach', {
            alias: ['d', 'wait'],
            type: 'boolean',
            default: false,
            describe: 'return once ready; leave a background supervisor',
          })
          .option('dry-run', {
            type: 'boolean',
            default: false,
            describe:
              'print what up would do (ports and why, holders to stop, env, order); change nothing',
          })
          .option('dashboard', {
            type: 'boolean',
            default: true,
            describe: 'serve the browser dashboard (--no-dashboard to skip)',
          })
          .check((args) => {
            if (args.json === true && args.dryRun !== true) throw new Error(UP_JSON_NEEDS_DRY_RUN);
            return true;
          }),
      ),
      set('up'),
    )
    .command(
      'down [services..]',
      "stop the project's running session (or one service and its dependents)",
      options('down', (y) =>
        services(y)
          .option('all', {
            type: 'boolean',
            default: false,
            describe: 'stop every session of the project, --dynamic ones included',
          })
          .option('session', {
            type: 'string',
            describe: 'stop this session (its id, as status and up -d print it)',
          }),
      ),
      set('down'),
    )
    .command(
      'restart [services..]',
      'restart services of the running session on the same ports; return once ready',
      options('restart', services),
      set('restart'),
    )
    .command(
      'run [services..]',
      'start, wait until ready, run a command with every variable, tear down, exit with its code',
      options('run', (y) =>
        services(y)
          .option('quiet', {
            alias: 'q',
            type: 'boolean',
            default: true,
            describe: 'send service output to the logs only (--no-quiet to stream it)',
          })
          .example('$0 run --dynamic -- npm test', 'the CI entry point'),
      ),
      set('run'),
    )
    .command(
      ['status', 'ps'],
      'each service: state, live health, pid, port, URL, uptime, restarts',
      options('status'),
      set('status'),
    )
    .command(
      'env [service]',
      'the resolved variables of the running session',
      options('env', (y) =>
        y.positional('service', { type: 'string' }).option('shell', {
          type: 'boolean',
          default: false,
          describe: 'as `export` lines for eval "$(devlaunch env --shell)"',
        }),
      ),
      set('env'),
    )
    .command(
      'ports [ports..]',
      'free or held, and by whom, for the manifest ports or the ones given',
      options('ports', portsList),
      set('ports'),
    )
    .command(
      'free <ports..>',
      'stop whatever holds these ports (safely) and confirm they bind',
      options('free', (y) =>
        portsList(y).option('yes', {
          alias: 'y',
          type: 'boolean',
          default: false,
          describe: 'do not ask first',
        }),
      ),
      set('free'),
    )
    .command(
      'logs [services..]',
      'the output of the current or last session',
      options('logs', (y) =>
        services(y)
          .option('session', {
            type: 'string',
            describe: 'the logs of this session (a --dynamic one, running or the last finished)',
          })
          .option('follow', {
            type: 'boolean',
            default: false,
            describe: 'keep printing new output (-f after logs)',
          })
          .option('lines', {
            alias: 'n',
            type: 'number',
            describe: 'last N lines of each service',
          }),
      ),
      set('logs'),
    )
    .command(
      'config',
      'the manifest as devlaunch understands it, defaults filled in',
      options('config'),
      set('config'),
    )
    .command(
      'dashboard',
      "open the running session's dashboard in the browser (prints its URL without a terminal)",
      options('dashboard'),
      set('dashboard'),
    )
    .command(
      'doctor',
      'check the manifest, ports, stale state and tools',
      options('doctor'),
      set('doctor'),
    )
    .command('init', 'write a starter launcher.yaml', options('init'), set('init'))
    .command('help [command]', "show a command's options", {}, set('help'))
    .demandCommand(1, 'Name a command: devlaunch up, down, run, status, ...')
    .strictCommands()
    .strictOptions()
    // Bundled, yargs cannot find package.json by itself (it would print "unknown").
    .version(packageVersion())
    .alias('version', 'V')
    .help()
    .alias('help', 'h')
    .wrap(Math.min(110, process.stdout.columns || 100))
    .exitProcess(false)
    .fail((message, error) => {
      if (error && !isCheckError(error)) throw error;
      throw usageError(error?.message ?? message, input);
    });

  skipEagerHelp(parser);
  const args = (await parser.parseAsync()) as Record<string, unknown>;
  if (chosen === undefined || chosen === 'help') return undefined; // help or version was printed
  for (const flag of ['kill', 'remap', 'fail']) args[flag] = args[flag] === true;
  if (chosen === 'run') args.command = (args['--'] as string[] | undefined) ?? [];
  // Options a command does not take still have their value for the use cases (GlobalArgs).
  return { command: chosen, args: { ...SHARED_DEFAULTS, ...args } };
}

/** An error thrown by a `.check()` above: a usage error, not a bug. */
function isCheckError(error: Error): boolean {
  return error.message === UP_JSON_NEEDS_DRY_RUN;
}

/**
 * `devlaunch help up` is `devlaunch up --help`; `devlaunch help` the overview. A name that is no
 * command is a usage error with a suggestion, not the overview.
 */
function helpCommand(argv: string[]): string[] {
  if (argv[0] !== 'help') return argv;
  const name = argv[1];
  if (name === undefined) return ['--help'];
  if (!COMMAND_NAMES.includes(name)) throw usageError(`Unknown command: ${name}`, []);
  if (argv.length > 2) {
    throw new DevlaunchError(
      'USAGE',
      `help takes one command name, not ${argv.slice(2).join(' ')}`,
      {
        hint: `devlaunch help ${name}`,
      },
    );
  }
  return name === 'help' ? ['--help'] : [name, '--help'];
}

/** `logs -f` follows, as with `tail -f` and `docker compose logs -f`; `-f` is the manifest elsewhere. */
function followFlag(argv: string[]): string[] {
  const at = argv.indexOf('logs');
  if (at === -1) return argv;
  return argv.map((a, i) => (i > at && a === '-f' ? '--follow' : a));
}

/** The package's version; the parser's bundle, dist/cli/parser.cjs, sits two levels below the root. */
function packageVersion(): string {
  return (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
}

interface UsageInternals {
  getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: () => void } };
}

/**
 * Before it calls a command's handler, yargs renders the command's whole help text and keeps it
 * in case the handler fails (≈20 ms, a tenth of `devlaunch config`). devlaunch never prints
 * yargs' help on a handler's failure (the error boundary reports it), and `--help` renders the
 * text on demand anyway, so that eager rendering is skipped. This reaches into yargs' internals:
 * if they change, the guard leaves yargs as it is, only slower.
 */
function skipEagerHelp(parser: Argv): void {
  const usage = (parser as unknown as UsageInternals).getInternalMethods?.().getUsageInstance?.();
  if (usage !== undefined && typeof usage.cacheHelpMessage === 'function') {
    usage.cacheHelpMessage = () => {};
  }
}
