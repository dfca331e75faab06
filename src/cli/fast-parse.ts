/**
 * The everyday command lines parsed without yargs, which costs ≈40 ms of start-up to load and
 * run. yargs (parser.ts) stays the one declaration of the command line: this fast path handles
 * only a known subset, returns undefined for anything else, and test/unit/cli/fast-parse.test.ts
 * checks that both parsers give the same result for every line it accepts.
 */
import { type SharedOption, takes } from './command-options.js';

type Flags = Record<string, [key: string, value: boolean]>;

/**
 * Boolean shared options, the shared option each belongs to (a command takes it only if
 * command-options.ts says so), and the values yargs gives them.
 */
const SHARED_FLAGS: Record<string, [option: SharedOption | 'color', key: string, value: boolean]> =
  {
    '--dynamic': ['dynamic', 'dynamic', true],
    '--kill': ['kill', 'kill', true],
    '--remap': ['remap', 'remap', true],
    '--fail': ['fail', 'fail', true],
    '--force': ['force', 'force', true],
    '--exit-on-failure': ['exit-on-failure', 'exitOnFailure', true],
    '--open': ['open', 'open', true],
    '--no-open': ['open', 'open', false],
    '--color': ['color', 'color', true],
    '--no-color': ['color', 'color', false],
    '--json': ['json', 'json', true],
    '--verbose': ['verbose', 'verbose', true],
    '-v': ['verbose', 'verbose', true],
  };

/**
 * The value of every shared option when it is not given, whether or not the command takes it:
 * the use cases get all of them (GlobalArgs). `color` undefined: decided by the terminal.
 */
export const SHARED_DEFAULTS = {
  file: undefined,
  dynamic: false,
  kill: false,
  remap: false,
  fail: false,
  force: false,
  exitOnFailure: false,
  port: [] as string[],
  open: true,
  color: undefined,
  json: false,
  verbose: false,
};

interface FastCommand {
  /** Where positionals go: a list, one optional value, or none allowed. */
  positionals: { key: string; many: boolean } | null;
  flags: Flags;
  defaults: Record<string, unknown>;
}

const FAST: Record<string, FastCommand> = {
  up: {
    positionals: { key: 'services', many: true },
    flags: {
      '-d': ['detach', true],
      '--detach': ['detach', true],
      '--wait': ['detach', true],
      '--dry-run': ['dryRun', true],
      '--dashboard': ['dashboard', true],
      '--no-dashboard': ['dashboard', false],
    },
    defaults: { services: [], detach: false, dryRun: false, dashboard: true },
  },
  down: {
    positionals: { key: 'services', many: true },
    flags: { '--all': ['all', true] },
    defaults: { services: [], all: false, session: undefined },
  },
  restart: { positionals: { key: 'services', many: true }, flags: {}, defaults: { services: [] } },
  run: {
    positionals: { key: 'services', many: true },
    flags: { '-q': ['quiet', true], '--quiet': ['quiet', true], '--no-quiet': ['quiet', false] },
    defaults: { services: [], quiet: true, command: [] },
  },
  status: { positionals: null, flags: {}, defaults: {} },
  ps: { positionals: null, flags: {}, defaults: {} },
  env: {
    positionals: { key: 'service', many: false },
    flags: { '--shell': ['shell', true] },
    defaults: { service: undefined, shell: false },
  },
  logs: {
    positionals: { key: 'services', many: true },
    // `-f` after `logs` follows, as with tail -f (see parser.ts).
    flags: { '-f': ['follow', true], '--follow': ['follow', true] },
    defaults: { services: [], session: undefined, follow: false, lines: undefined },
  },
  config: { positionals: null, flags: {}, defaults: {} },
  doctor: { positionals: null, flags: {}, defaults: {} },
};

/**
 * The everyday command lines (`up`, `run -- CMD`, `status --json`, `config`, `down api`, …)
 * parsed without yargs, which costs ≈40 ms of start-up to load and run. Anything else — help,
 * an unknown or repeated option, `--port`, numbers, conflicting flags, options before the
 * command — returns undefined and goes to yargs, which parses it or reports the usage error.
 * The result has the same shape and defaults as yargs' for the same command line.
 */
export function fastParse(
  argv: readonly string[],
): { command: string; args: Record<string, unknown> } | undefined {
  const [name, ...rest] = argv;
  const spec = name === undefined ? undefined : own(FAST, name);
  if (name === undefined || spec === undefined) return undefined;
  const command = name === 'ps' ? 'status' : name;
  const args: Record<string, unknown> = { ...SHARED_DEFAULTS, ...spec.defaults };
  const positionals: string[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < rest.length; i++) {
    const token = rest[i] as string;
    if (token === '--') {
      if (name !== 'run') return undefined;
      args.command = rest.slice(i + 1);
      break;
    }
    const sharedFlag = own(SHARED_FLAGS, token);
    const flag =
      own(spec.flags, token) ??
      (sharedFlag && (sharedFlag[0] === 'color' || takes(command, sharedFlag[0]))
        ? ([sharedFlag[1], sharedFlag[2]] as const)
        : undefined);
    if (flag !== undefined) {
      if (seen.has(flag[0])) return undefined;
      seen.add(flag[0]);
      args[flag[0]] = flag[1];
    } else if (
      (token === '--file' || (token === '-f' && name !== 'logs')) &&
      takes(command, 'file') &&
      !seen.has('file')
    ) {
      const value = rest[++i];
      if (value === undefined || value === '' || value.startsWith('-')) return undefined;
      seen.add('file');
      args.file = value;
    } else if (token.startsWith('-') || token === '') {
      return undefined;
    } else {
      positionals.push(token);
    }
  }
  if (positionals.length > 0) {
    if (spec.positionals === null) return undefined;
    if (spec.positionals.many) args[spec.positionals.key] = positionals;
    else if (positionals.length === 1) args[spec.positionals.key] = positionals[0];
    else return undefined;
  }
  // Conflicting flags: yargs says which.
  if ([args.kill, args.remap, args.fail].filter((v) => v === true).length > 1) return undefined;
  // `up --json` without --dry-run: yargs reports it (UP_JSON_NEEDS_DRY_RUN).
  if (command === 'up' && args.json === true && args.dryRun !== true) return undefined;
  return { command, args };
}

/** `table[key]` if it is an own entry: `constructor` or `toString` are positionals, not flags. */
function own<V>(table: Record<string, V>, key: string): V | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
