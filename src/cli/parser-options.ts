/**
 * The options of each command as yargs declares them: the shared ones (which command takes which
 * is in command-options.ts, read by the fast path too) and the grouping of a command's help.
 */
import type { Argv, Options } from 'yargs';
import { COMMAND_OPTIONS, OWN_OPTIONS, type SharedOption } from './command-options.js';

/** The shared options; each command declares the ones COMMAND_OPTIONS gives it. */
const SHARED: Record<SharedOption, Options> = {
  file: {
    alias: 'f',
    type: 'string',
    describe: 'manifest to use (default: launcher.yaml found upwards, or $DEVLAUNCH_FILE)',
  },
  dynamic: {
    type: 'boolean',
    default: false,
    describe: 'take every port fresh from the OS; never kill anything (for CI)',
  },
  kill: { type: 'boolean', describe: 'stop a foreign process holding a preferred port' },
  remap: { type: 'boolean', describe: 'use another port when a preferred one is held' },
  fail: { type: 'boolean', describe: 'exit 3 when a preferred port is held' },
  force: {
    type: 'boolean',
    default: false,
    describe: "allow stopping system or other users' processes",
  },
  'exit-on-failure': {
    type: 'boolean',
    default: false,
    describe:
      'stop every service when one fails after start-up (default: report it, keep the rest)',
  },
  port: {
    type: 'string',
    array: true,
    default: [] as string[],
    describe: 'NAME=PORT: override a preferred port for this run (repeatable)',
  },
  open: {
    type: 'boolean',
    default: true,
    describe: 'open `open:` URLs in the browser (--no-open to skip)',
  },
  json: { type: 'boolean', default: false, describe: 'print the data as one JSON document' },
  verbose: { alias: 'v', type: 'boolean', default: false, describe: 'say more' },
};

const UP_JSON: Options = {
  ...SHARED.json,
  describe: 'with --dry-run: print the plan as one JSON document',
};

/** After `logs`, `-f` follows (followFlag): the manifest is `--file` only. */
const { alias: _f, ...LOGS_FILE } = SHARED.file;

/**
 * The builder of `command`: its own options (from `build`), then the shared ones COMMAND_OPTIONS
 * gives it, listed in its help under "Options:", and `--color`/`--help` under "Every command:".
 */
export function options(command: string, build: (y: Argv) => Argv = (y) => y) {
  return (y: Argv): Argv => {
    const names = COMMAND_OPTIONS[command] ?? [];
    let out = build(y);
    for (const name of names) {
      const spec =
        command === 'up' && name === 'json'
          ? UP_JSON
          : command === 'logs' && name === 'file'
            ? LOGS_FILE
            : SHARED[name];
      out = out.option(name, spec);
    }
    if (names.includes('kill')) {
      out = out.conflicts('kill', 'remap').conflicts('kill', 'fail').conflicts('remap', 'fail');
    }
    const own = (OWN_OPTIONS[command] ?? []).filter((o) => !o.startsWith('no-') && o !== 'wait');
    // The version is the program's, not the command's.
    return out
      .hide('version')
      .group([...own, ...names], 'Options:')
      .group(['color', 'help'], 'Every command:');
  };
}
