/**
 * The command line, declared once with yargs. Returns which command to run and its arguments.
 * The everyday command lines are parsed without yargs by `fastParse` in main.ts, which must give
 * the same result: an option or default changed here changes there too.
 */
import { createRequire } from 'node:module';
import yargs, { type Argv } from 'yargs';
import { DevlaunchError } from '../errors.js';

export interface ParsedCommand {
  command: string;
  args: Record<string, unknown>;
}

const portsList = (y: Argv) =>
  y.positional('ports', { type: 'number', array: true, describe: 'port numbers' });

export async function buildParser(argv: string[]): Promise<ParsedCommand | undefined> {
  let chosen: string | undefined;
  const set = (name: string) => () => {
    chosen = name;
  };
  const parser = yargs(followFlag(argv))
    .scriptName('devlaunch')
    .parserConfiguration({ 'populate--': true, 'strip-aliased': true, 'strip-dashed': true })
    .usage('$0 <command> [options]\n\nStart and stop the services of a multi-service project.')
    .option('file', {
      alias: 'f',
      type: 'string',
      describe: 'manifest to use (default: launcher.yaml found upwards, or $DEVLAUNCH_FILE)',
      global: true,
    })
    .option('dynamic', {
      type: 'boolean',
      default: false,
      describe: 'take every port fresh from the OS; never kill anything (for CI)',
      global: true,
    })
    .option('kill', {
      type: 'boolean',
      describe: 'stop a foreign process holding a preferred port',
      global: true,
    })
    .option('remap', {
      type: 'boolean',
      describe: 'use another port when a preferred one is held',
      global: true,
    })
    .option('fail', {
      type: 'boolean',
      describe: 'exit 3 when a preferred port is held',
      global: true,
    })
    .option('force', {
      type: 'boolean',
      default: false,
      describe: "allow stopping system or other users' processes",
      global: true,
    })
    .option('exit-on-failure', {
      type: 'boolean',
      default: false,
      describe:
        'stop every service when one fails after start-up (default: report it, keep the rest)',
      global: true,
    })
    .option('port', {
      type: 'string',
      array: true,
      default: [] as string[],
      describe: 'NAME=PORT: override a preferred port for this run (repeatable)',
      global: true,
    })
    .option('open', {
      type: 'boolean',
      default: true,
      describe: 'open `open:` URLs in the browser (--no-open to skip)',
      global: true,
    })
    .option('color', {
      type: 'boolean',
      default: true,
      describe: 'colour output (--no-color or NO_COLOR to turn off)',
      global: true,
    })
    .option('json', {
      type: 'boolean',
      default: false,
      describe: 'print data as one JSON document',
      global: true,
    })
    .option('verbose', {
      alias: 'v',
      type: 'boolean',
      default: false,
      describe: 'say more',
      global: true,
    })
    .conflicts('kill', 'remap')
    .conflicts('kill', 'fail')
    .conflicts('remap', 'fail')
    .command(
      'up [services..]',
      'start the services (and what they depend on), wait until ready, stream output',
      (y) =>
        y
          .positional('services', { type: 'string', array: true, default: [] as string[] })
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
          }),
      set('up'),
    )
    .command(
      'down [services..]',
      "stop the project's running session (or one service and its dependents)",
      (y) =>
        y
          .positional('services', { type: 'string', array: true, default: [] as string[] })
          .option('all', {
            type: 'boolean',
            default: false,
            describe: 'stop every session of the project, --dynamic ones included',
          })
          .option('session', {
            type: 'string',
            describe: 'stop this session (its id, as status and up -d print it)',
          }),
      set('down'),
    )
    .command(
      'restart [services..]',
      'restart services of the running session on the same ports; return once ready',
      (y) => y.positional('services', { type: 'string', array: true, default: [] as string[] }),
      set('restart'),
    )
    .command(
      'run [services..]',
      'start, wait until ready, run a command with every variable, tear down, exit with its code',
      (y) =>
        y
          .positional('services', { type: 'string', array: true, default: [] as string[] })
          .option('quiet', {
            alias: 'q',
            type: 'boolean',
            default: true,
            describe: 'send service output to the logs only (--no-quiet to stream it)',
          })
          .example('$0 run --dynamic -- npm test', 'the CI entry point'),
      set('run'),
    )
    .command(
      ['status', 'ps'],
      'each service: state, pid, port, URL, uptime, restarts',
      {},
      set('status'),
    )
    .command(
      'env [service]',
      'the resolved variables of the running session',
      (y) =>
        y.positional('service', { type: 'string' }).option('shell', {
          type: 'boolean',
          default: false,
          describe: 'as `export` lines for eval "$(devlaunch env --shell)"',
        }),
      set('env'),
    )
    .command(
      'ports [ports..]',
      'free or held, and by whom, for the manifest ports or the ones given',
      portsList,
      set('ports'),
    )
    .command(
      'free <ports..>',
      'stop whatever holds these ports (safely) and confirm they bind',
      (y) =>
        portsList(y).option('yes', {
          alias: 'y',
          type: 'boolean',
          default: false,
          describe: 'do not ask first',
        }),
      set('free'),
    )
    .command(
      'logs [services..]',
      'the output of the current or last session',
      (y) =>
        y
          .positional('services', { type: 'string', array: true, default: [] as string[] })
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
      set('logs'),
    )
    .command(
      'config',
      'the manifest as devlaunch understands it, defaults filled in',
      {},
      set('config'),
    )
    .command(
      'dashboard',
      "open the running session's dashboard in the browser (prints its URL without a terminal)",
      {},
      set('dashboard'),
    )
    .command('doctor', 'check the manifest, ports, stale state and tools', {}, set('doctor'))
    .command('init', 'write a starter launcher.yaml', {}, set('init'))
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
      if (error) throw error;
      throw new DevlaunchError('USAGE', message, {
        hint: 'Run devlaunch --help for the commands and options.',
      });
    });

  skipEagerHelp(parser);
  const args = (await parser.parseAsync()) as Record<string, unknown>;
  if (chosen === undefined) return undefined; // --help or --version was printed
  for (const flag of ['kill', 'remap', 'fail']) args[flag] = args[flag] === true;
  if (chosen === 'run') args.command = (args['--'] as string[] | undefined) ?? [];
  return { command: chosen, args };
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
