/**
 * Which of the shared options each command takes: the one table both parsers read (yargs in
 * parser.ts, the fast path in fast-parse.ts), so `devlaunch down --help` lists only what `down`
 * uses and `down --dynamic` is a usage error instead of being silently ignored. Kept free of
 * yargs: the fast path loads it on every run.
 */

export type SharedOption =
  | 'file'
  | 'dynamic'
  | 'kill'
  | 'remap'
  | 'fail'
  | 'force'
  | 'exit-on-failure'
  | 'port'
  | 'open'
  | 'json'
  | 'verbose';

/** Options that resolve ports and start services: `up` and `run` take them. */
const STARTING: readonly SharedOption[] = [
  'file',
  'dynamic',
  'kill',
  'remap',
  'fail',
  'force',
  'port',
  'open',
  'verbose',
];

/**
 * Each command's shared options, besides `--color`/`--no-color` and `--help`, which every command
 * takes. `--json` only where the output is data (SPEC "Machine-readable output"); `up` takes it
 * only with `--dry-run` (checked by both parsers).
 */
export const COMMAND_OPTIONS: Readonly<Record<string, readonly SharedOption[]>> = {
  up: [...STARTING, 'exit-on-failure', 'json'],
  down: ['file'],
  restart: ['file', 'json', 'verbose'],
  // run stops everything when a service fails: --exit-on-failure is what it always does.
  run: STARTING,
  status: ['file', 'json'],
  env: ['file', 'json'],
  ports: ['file', 'port', 'json'],
  free: ['file', 'force'],
  logs: ['file'],
  config: ['file', 'json'],
  dashboard: ['file', 'open', 'json'],
  doctor: ['file', 'port', 'json'],
  init: [],
  help: [],
};

/** Each command's own options (long names, `no-` forms included), for "did you mean". */
export const OWN_OPTIONS: Readonly<Record<string, readonly string[]>> = {
  up: ['detach', 'wait', 'dry-run', 'dashboard', 'no-dashboard'],
  down: ['all', 'session'],
  run: ['quiet', 'no-quiet'],
  env: ['shell'],
  free: ['yes'],
  logs: ['session', 'follow', 'lines'],
};

/** Every command name a user may type (aliases included), for "did you mean". */
export const COMMAND_NAMES = [...Object.keys(COMMAND_OPTIONS), 'ps'];

/** Whether `command` takes `option` (`color` and `help`: every command). */
export function takes(command: string, option: SharedOption): boolean {
  const own = Object.hasOwn(COMMAND_OPTIONS, command) ? COMMAND_OPTIONS[command] : undefined;
  return own?.includes(option) ?? false;
}

/** `up --json` prints data only with `--dry-run`; elsewhere up's output is for people. */
export const UP_JSON_NEEDS_DRY_RUN =
  '--json needs --dry-run here: up prints a JSON document only for its plan (devlaunch status --json shows a running session)';
