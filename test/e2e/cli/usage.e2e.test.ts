/**
 * The command line of the built CLI: each command's help lists its own options only, typos get
 * a suggestion, `--json` is refused where the output is no data, and colour follows `--color`,
 * `--no-color`, NO_COLOR and FORCE_COLOR. None of these start a service.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliPath } from '../../helpers/cli.js';

const root = mkdtempSync(join(tmpdir(), 'devlaunch-usage-'));
writeFileSync(
  join(root, 'launcher.yaml'),
  'services:\n  api:\n    command: node api.js\n    port: 0\n',
);
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Runs the CLI without a terminal; `env` replaces the colour variables of the test's own. */
function devlaunch(args: string[], env: Record<string, string> = {}) {
  const { NO_COLOR: _n, FORCE_COLOR: _f, DEVLAUNCH_FILE: _d, ...base } = process.env;
  const r = spawnSync(process.execPath, [cliPath, ...args], {
    cwd: root,
    env: { ...base, ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The long option names a help text lists. */
function optionsIn(help: string): string[] {
  return [...help.matchAll(/^\s+(?:-\w, )*--([a-z-]+)/gm)].map((m) => m[1] as string).sort();
}

const ESC = '\u001b[';

describe('help', () => {
  it('`help up` and `up --help` print the same text: up options, no other command', () => {
    const viaHelp = devlaunch(['help', 'up']);
    const viaFlag = devlaunch(['up', '--help']);
    expect(viaHelp.code).toBe(0);
    expect(viaFlag.code).toBe(0);
    expect(viaHelp.stdout).toBe(viaFlag.stdout);
    expect(optionsIn(viaHelp.stdout)).toEqual(
      [
        'color',
        'dashboard',
        'detach',
        'dry-run',
        'dynamic',
        'exit-on-failure',
        'fail',
        'file',
        'force',
        'help',
        'json',
        'kill',
        'open',
        'port',
        'remap',
        'verbose',
      ].sort(),
    );
  });

  it.each([
    ['down', ['all', 'color', 'file', 'help', 'session']],
    ['restart', ['color', 'file', 'help', 'json', 'verbose']],
    ['status', ['color', 'file', 'help', 'json']],
    ['logs', ['color', 'file', 'follow', 'help', 'lines', 'session']],
    ['free', ['color', 'file', 'force', 'help', 'yes']],
    ['init', ['color', 'help']],
  ])('%s --help lists only its own options', (command, expected) => {
    const r = devlaunch([command, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`devlaunch ${command}`);
    expect(optionsIn(r.stdout)).toEqual(expected);
    expect(devlaunch(['help', command]).stdout).toBe(r.stdout);
  });

  it('`help` alone is the overview; `help` of an unknown command suggests one, exit 2', () => {
    const overview = devlaunch(['help']);
    expect(overview.code).toBe(0);
    expect(overview.stdout).toContain('devlaunch restart');
    const typo = devlaunch(['help', 'stauts']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('Did you mean status?');
  });
});

describe('typos', () => {
  it.each([
    [['stauts'], 'unknown command stauts', 'Did you mean status?'],
    [['status', '--jsn'], 'unknown option --jsn', 'Did you mean --json?'],
    [['up', '--dryrun'], 'unknown option --dryrun', 'Did you mean --dry-run?'],
    [['status', 'extra'], 'status takes no argument extra', 'devlaunch help status'],
  ])('%j: exit 2 with a suggestion', (args, message, hint) => {
    const r = devlaunch(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message);
    expect(r.stderr).toContain(hint);
  });
});

describe('--json only where the output is data', () => {
  it.each([
    [['up', '-d', '--json']],
    [['up', '--json']],
    [['down', '--json']],
    [['logs', '--json']],
    [['run', '--json', '--', 'true']],
    [['free', '1', '--json']],
    [['init', '--json']],
  ])('%j is a usage error, exit 2, nothing started', (args) => {
    const r = devlaunch(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('--json');
  });

  it.each([[['config', '--json']], [['up', '--dry-run', '--json']]])(
    '%j prints one JSON document',
    (args) => {
      const r = devlaunch(args);
      expect(r.code, r.stderr).toBe(0);
      expect(() => JSON.parse(r.stdout)).not.toThrow();
    },
  );

  it('an option of another command is named as such (down --dynamic)', () => {
    const r = devlaunch(['down', '--dynamic']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('down takes no --dynamic');
    expect(r.stderr).toContain('--dynamic is an option of up, run');
  });
});

describe('colour', () => {
  // up --dry-run paints its plan on stdout; a pipe gets no colour unless asked.
  const plan = (args: string[], env: Record<string, string> = {}) =>
    devlaunch(['up', '--dry-run', ...args], env);

  it('a pipe gets none by default; --color forces it, also over NO_COLOR', () => {
    expect(plan([]).stdout).not.toContain(ESC);
    expect(plan(['--color']).stdout).toContain(ESC);
    expect(plan(['--color'], { NO_COLOR: '1' }).stdout).toContain(ESC);
  });

  it('FORCE_COLOR=1 turns it on, FORCE_COLOR=0 off; --no-color beats FORCE_COLOR', () => {
    expect(plan([], { FORCE_COLOR: '1' }).stdout).toContain(ESC);
    expect(plan([], { FORCE_COLOR: '0' }).stdout).not.toContain(ESC);
    expect(plan(['--no-color'], { FORCE_COLOR: '1' }).stdout).not.toContain(ESC);
  });

  it('usage errors follow --color too', () => {
    expect(devlaunch(['stauts', '--color']).stderr).toContain(ESC);
    expect(devlaunch(['stauts']).stderr).not.toContain(ESC);
  });
});
