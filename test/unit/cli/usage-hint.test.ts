/** Usage errors say what to type instead: the closest command or option, or who takes it. */
import { describe, expect, it } from 'vitest';
import { usageError } from '../../../src/cli/usage-hint.js';

const argv = (line: string) => line.split(' ');

describe('usageError', () => {
  it.each([
    ['Unknown command: stauts', 'stauts', 'unknown command stauts', 'Did you mean status?'],
    ['Unknown command: dwon', 'dwon', 'unknown command dwon', 'Did you mean down?'],
    ['Unknown command: xyzzy', 'xyzzy', 'unknown command xyzzy', 'devlaunch --help lists'],
    [
      'Unknown argument: jsn',
      'status --jsn',
      'unknown option --jsn for status',
      'Did you mean --json?',
    ],
    [
      'Unknown arguments: exit-on-failur, exitOnFailur',
      'up --exit-on-failur',
      'unknown option --exit-on-failur for up',
      'Did you mean --exit-on-failure?',
    ],
    [
      'Unknown argument: json',
      'down --json',
      'down prints no data, so it takes no --json',
      'up --dry-run, restart, status',
    ],
    [
      'Unknown argument: dynamic',
      'logs --dynamic',
      'logs takes no --dynamic',
      '--dynamic is an option of up, run.',
    ],
    ['Unknown argument: extra', 'status extra', 'status takes no argument extra', 'help status'],
    ['Unknown command: extra', 'config extra', 'config takes no argument extra', 'help config'],
  ])('%s (%s)', (message, line, text, hint) => {
    const error = usageError(message, argv(line));
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe(text);
    expect(error.hint).toContain(hint);
  });

  it('an option before the command: the line with the command first', () => {
    const error = usageError('Name a command: devlaunch up, down, run, status, ...', argv('-v up'));
    expect(error.message).toBe('options go after the command name');
    expect(error.hint).toBe('devlaunch up -v');
  });

  it('suggests nothing for a far-off word', () => {
    expect(usageError('Unknown argument: zzzzzz', argv('up --zzzzzz')).hint).not.toContain('Did');
  });
});
