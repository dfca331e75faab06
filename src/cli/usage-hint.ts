/**
 * A usage error that says what to type instead: the closest command (`stauts` → `status`), the
 * closest option of the command (`--jsn` → `--json`), or which commands take an option that this
 * one does not (`down --json`). Pure, without yargs: parser.ts hands it yargs' message.
 */
import { DevlaunchError } from '../errors.js';
import { closest } from '../manifest/suggest.js';
import {
  COMMAND_NAMES,
  COMMAND_OPTIONS,
  OWN_OPTIONS,
  UP_JSON_NEEDS_DRY_RUN,
} from './command-options.js';

/** Options every command takes. */
const EVERYWHERE = ['color', 'no-color', 'help'];

export function usageError(message: string, argv: readonly string[]): DevlaunchError {
  const command = commandOf(argv);
  const help = command ? `devlaunch help ${command}` : 'devlaunch --help';
  const unknownCommand = /^Unknown command: (.+)$/.exec(message);
  if (unknownCommand) {
    const word = unknownCommand[1]?.split(' ')[0] ?? '';
    // yargs calls a stray word after a command that takes none an unknown command too.
    if (command !== undefined && argv.indexOf(word) > argv.indexOf(command)) {
      return strayArgument(word, command, help);
    }
    const match = closest(word, COMMAND_NAMES);
    return new DevlaunchError('USAGE', `unknown command ${word}`, {
      hint: match
        ? `Did you mean ${match}? (devlaunch --help lists the commands)`
        : 'devlaunch --help lists the commands.',
    });
  }
  const unknownArg = /^Unknown arguments?: (.+)$/.exec(message);
  if (unknownArg) {
    // yargs names an unknown --some-flag twice (some-flag, someFlag): the first, dashed.
    const first = (unknownArg[1] ?? '').split(', ')[0] ?? '';
    const word = first.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    return unknownArgument(word, command, argv, help);
  }
  // `devlaunch -v up`: an option before the command took the command as its value.
  if (message.startsWith('Name a command') && command !== undefined) {
    const rest = argv.filter((a) => a !== command);
    return new DevlaunchError('USAGE', `options go after the command name`, {
      hint: `devlaunch ${command} ${rest.join(' ')}`,
    });
  }
  if (message === UP_JSON_NEEDS_DRY_RUN) {
    return new DevlaunchError('USAGE', message, { hint: `${help} lists its options.` });
  }
  return new DevlaunchError('USAGE', message, { hint: `${help} lists the options.` });
}

function unknownArgument(
  word: string,
  command: string | undefined,
  argv: readonly string[],
  help: string,
): DevlaunchError {
  // yargs drops the dashes: a word given without them is a stray positional.
  if (argv.includes(word)) return strayArgument(word, command ?? 'devlaunch', help);
  const flag = word.length === 1 ? `-${word}` : `--${word}`;
  const name = command ?? '';
  const own = [
    ...(COMMAND_OPTIONS[name] ?? []),
    ...(OWN_OPTIONS[name] ?? []),
    ...((COMMAND_OPTIONS[name] ?? []).includes('open') ? ['no-open'] : []),
    ...EVERYWHERE,
  ];
  const elsewhere = Object.keys(COMMAND_OPTIONS).filter(
    (other) =>
      other !== name &&
      ((COMMAND_OPTIONS[other] as readonly string[]).includes(word) ||
        (OWN_OPTIONS[other] ?? []).includes(word)),
  );
  if (command !== undefined && elsewhere.length > 0) {
    const what =
      word === 'json'
        ? `${command} prints no data, so it takes no --json`
        : `${command} takes no ${flag}`;
    return new DevlaunchError('USAGE', what, {
      hint: `${flag} is an option of ${elsewhere.map((c) => (c === 'up' && word === 'json' ? 'up --dry-run' : c)).join(', ')}. ${help} lists the options of ${command}.`,
    });
  }
  const match = word.length > 1 ? closest(word, own) : undefined;
  return new DevlaunchError('USAGE', `unknown option ${flag}${command ? ` for ${command}` : ''}`, {
    hint: match
      ? `Did you mean --${match}? (${help} lists the options)`
      : `${help} lists the options.`,
  });
}

function strayArgument(word: string, command: string, help: string): DevlaunchError {
  return new DevlaunchError('USAGE', `${command} takes no argument ${word}`, {
    hint: `${help} shows what it takes.`,
  });
}

/** The command named on the line (the first word that is one), `ps` as `status`. */
function commandOf(argv: readonly string[]): string | undefined {
  const word = argv.find((a) => COMMAND_NAMES.includes(a));
  return word === 'ps' ? 'status' : word;
}
