/**
 * The everyday command lines are parsed without yargs (main.ts `fastParse`) to keep start-up
 * fast. Both parsers must agree exactly: every line here is parsed by both and compared, and
 * lines the fast path must leave to yargs are listed too.
 */
import { describe, expect, it } from 'vitest';
import { fastParse } from '../../../src/cli/fast-parse.js';
import { buildParser } from '../../../src/cli/parser.js';

const agreeing = [
  ['up'],
  ['up', 'backend', 'frontend'],
  ['up', '-d'],
  ['up', '--detach', '--no-color', '-v'],
  ['up', '--wait', '--dynamic'],
  ['up', '--kill', '--force'],
  ['up', '--exit-on-failure', 'api'],
  ['up', '--remap', '-f', 'x/launcher.yaml'],
  ['up', '--fail', '--file', 'launcher.yml', 'auth'],
  ['up', '--no-open', '--dry-run', '--json'],
  ['up', '--color'],
  ['status', '--no-color', '--json'],
  ['restart', 'api', '--json', '-v'],
  ['up', '--no-dashboard', '-d'],
  ['up', '--dashboard', 'api'],
  ['down'],
  ['down', 'backend'],
  ['down', '--all'],
  ['down', 'backend', '--all'],
  ['run', '--', 'npm', 'test'],
  ['run', '--dynamic', '--', 'sh', '-c', 'exit 7'],
  ['run', 'backend', '--no-quiet', '--', 'node', 'x.js', '--flag'],
  ['run', '-q', '--', 'true'],
  ['status'],
  ['status', '--json'],
  ['ps'],
  ['env'],
  ['env', 'backend', '--shell'],
  ['env', '--json'],
  ['logs'],
  ['logs', 'auth', '-f'],
  ['logs', '--follow', '--no-color'],
  ['config'],
  ['config', '--json', '-f', 'a.yaml'],
  ['doctor'],
];

const leftToYargs = [
  [],
  ['--help'],
  ['up', '--help'],
  ['up', '--port', 'backend=8001'],
  ['up', '--kill', '--remap'],
  ['up', '--bogus'],
  ['-f', 'x.yaml', 'up'],
  ['logs', '-n', '5'],
  ['down', '--session', 'abc123'],
  ['logs', '--session', 'abc123'],
  ['ports', '8000'],
  ['free', '8000', '--yes'],
  ['init'],
  ['status', 'extra'],
  ['up', '--verbose', '--verbose'],
  // Options a command does not take: yargs reports them (usage error, exit 2).
  ['up', '-d', '--json'],
  ['up', '--json'],
  ['down', '--json'],
  ['down', '--dynamic'],
  ['logs', '--json'],
  ['run', '--json', '--', 'true'],
  ['status', '--dynamic'],
  ['config', '--kill'],
  ['down', '-v'],
  ['help', 'up'],
];

/** What yargs gives, without its bookkeeping keys. */
async function viaYargs(argv: string[]) {
  const parsed = await buildParser([...argv]);
  if (parsed === undefined) return undefined;
  const { _: _positional, $0: _script, '--': _rest, ...args } = parsed.args;
  return { command: parsed.command, args };
}

describe('fastParse', () => {
  it('fills every shared option of the use cases, also where the command does not take it', () => {
    expect(fastParse(['down'])?.args).toMatchObject({ dynamic: false, json: false, port: [] });
    expect(fastParse(['status'])?.args).toHaveProperty('color', undefined);
  });

  it.each(agreeing.map((argv) => [argv.join(' '), argv]))(
    'agrees with yargs: %s',
    async (_, argv) => {
      const fast = fastParse(argv as string[]);
      expect(fast).toBeDefined();
      expect(fast).toEqual(await viaYargs(argv as string[]));
    },
  );

  it.each(leftToYargs.map((argv) => [argv.join(' ') || '(nothing)', argv]))(
    'leaves to yargs: %s',
    (_, argv) => {
      expect(fastParse(argv as string[])).toBeUndefined();
    },
  );
});
