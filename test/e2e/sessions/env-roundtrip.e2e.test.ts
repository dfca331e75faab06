/**
 * `devlaunch env` (dotenv form) reads back exactly — every byte of every value — with the
 * `dotenv` package, with `node --env-file`, and with devlaunch's own `env_file`. A value no
 * dotenv form carries (a carriage return) is an error naming it; --json and --shell carry it.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'dotenv';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanupTracked, survivors } from '../../helpers/processes.js';
import {
  cli,
  ensureCliBuilt,
  project,
  removeProjects,
  shell,
  shellCli,
  status,
  trackSupervisor,
} from './helpers.js';

beforeAll(ensureCliBuilt, 120_000);

afterEach(async () => {
  await cleanupTracked();
  removeProjects();
});

/** Values that trip up naive dotenv writers. */
const NASTY = [
  '',
  'two words',
  '  leading and trailing  ',
  '#not a comment',
  'a # b',
  "it's",
  'say "hi"',
  `both ' and "`,
  '{"json":{"list":[1,"x"],"esc":"q\\"uote\\\\n"}}',
  'C:\\new\\table',
  'ends with a backslash\\',
  '\\',
  'line1\nline2',
  '\nstarts with a line break',
  'ends with a line break\n',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${PATH} is the point
  '$HOME ${PATH} $$ $(whoami) `id`',
  `all three ' " \` quotes`,
  "'already single-quoted'",
  '"already double-quoted"',
  'tab\there',
  'unicode é 漢 🎉',
  'a=b=c',
  'export X=1',
  'literal \\n and \\r, not line breaks',
  "x'\\",
  'multi\nline with \'single\' and "double" quotes',
  '   ',
  "'",
  '"',
  '`',
];

/** As a manifest env value: `$` is written `$$` there. */
const inManifest = (v: string) => v.split('$').join('$$');

/** A service that only idles (the session must run for `env` to answer). */
const idle = (env: Record<string, string>) => ({
  command: [process.execPath, '-e', 'setInterval(() => {}, 1000)'],
  env,
  stop_timeout: '500ms',
});

const NAMES = NASTY.map((_, i) => `V${String(i).padStart(2, '0')}`);

describe('env in dotenv form reads back exactly', () => {
  it(`${NASTY.length} values through dotenv, node --env-file and env_file`, async () => {
    const p = project({
      services: { app: idle(Object.fromEntries(NAMES.map((n, i) => [n, inManifest(NASTY[i]!)]))) },
    });
    const up = await cli(p, ['up', '-d']);
    expect(up.code, up.stderr).toBe(0);
    trackSupervisor(await status(p));
    const expected = Object.fromEntries(NAMES.map((n, i) => [n, NASTY[i]!]));
    // --json is exact: the reference.
    const json = await cli(p, ['env', 'app', '--json']);
    expect(json.code, json.stderr).toBe(0);
    expect(pick(JSON.parse(json.stdout) as Record<string, string>)).toEqual(expected);

    const dotenv = await cli(p, ['env', 'app']);
    expect(dotenv.code, dotenv.stderr).toBe(0);
    const file = join(p.root, 'exported.env');
    writeFileSync(file, dotenv.stdout);

    // 1. the dotenv package
    expect(pick(parse(dotenv.stdout))).toEqual(expected);
    // 2. node --env-file
    const dump = `const o={};for(const k of Object.keys(process.env).filter(k=>/^V\\d\\d$/.test(k)))o[k]=process.env[k];process.stdout.write(JSON.stringify(o))`;
    const node = execFileSync(process.execPath, [`--env-file=${file}`, '-e', dump], {
      env: {},
      encoding: 'utf8',
    });
    expect(JSON.parse(node)).toEqual(expected);
    // 3. devlaunch's own env_file, in another project
    const other = project({ env_file: file, services: { idle: idle({}) } });
    const run = await cli(other, ['run', '--', process.execPath, '-e', dump]);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(expected);

    // --shell is exact too, evaluated by sh.
    const sh = shell(
      p,
      `eval "$(${shellCli(p, 'env', 'app --shell')})" && '${process.execPath}' -e '${dump}'`,
    );
    expect((await sh.exit)?.code, sh.stderr.text()).toBe(0);
    expect(JSON.parse(sh.stdout.text())).toEqual(expected);

    expect((await cli(p, ['down'])).code).toBe(0);
    expect(survivors(p.marker)).toEqual([]);
  });

  it('a carriage return: dotenv form refuses naming the variable, --json and --shell carry it', async () => {
    const p = project({
      services: { app: idle({ CRLF: 'one\r\ntwo', PLAIN: 'fine' }) },
    });
    const up = await cli(p, ['up', '-d']);
    expect(up.code, up.stderr).toBe(0);
    trackSupervisor(await status(p));
    const dotenv = await cli(p, ['env', 'app']);
    expect(dotenv.code).toBe(1);
    expect(dotenv.stdout).toBe('');
    expect(dotenv.stderr).toContain('CRLF: it contains a carriage return');
    expect(dotenv.stderr).toContain('--json');
    expect(dotenv.stderr).not.toContain('internal error');
    const json = await cli(p, ['env', 'app', '--json']);
    expect((JSON.parse(json.stdout) as Record<string, string>).CRLF).toBe('one\r\ntwo');
    const sh = shell(
      p,
      `eval "$(${shellCli(p, 'env', 'app --shell')})" && printf %s "$CRLF" | od -c`,
    );
    expect((await sh.exit)?.code, sh.stderr.text()).toBe(0);
    expect(sh.stdout.text()).toMatch(/o\s+n\s+e\s+\\r\s+\\n\s+t\s+w\s+o/);
    expect((await cli(p, ['down'])).code).toBe(0);
    expect(survivors(p.marker)).toEqual([]);
  });
});

function pick(vars: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(vars).filter(([k]) => /^V\d\d$/.test(k)));
}
