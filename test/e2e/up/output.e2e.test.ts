/**
 * Line integrity of `devlaunch up` under heavy output: two services each print 100 000 lines as
 * fast as they can, the last one without a newline. Every line must come out once, whole,
 * behind the right prefix, in order per service, and land in the service's log file. A session
 * whose services all complete ends by itself with exit 0.
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanupTracked } from '../../helpers/processes.js';
import { ensureCliBuilt, leftovers, nodeFixture, project, removeProjects, up } from './helpers.js';

beforeAll(ensureCliBuilt, 120_000);

afterEach(async () => {
  await cleanupTracked();
  removeProjects();
});

const LINES = 100_000;

/** Checks `got` is exactly `line 1` … `line N`, then `DONE N`; returns a description of the first fault. */
function fault(got: string[]): string | null {
  if (got.length !== LINES + 1) return `${got.length} lines instead of ${LINES + 1}`;
  for (let i = 0; i < LINES; i++) {
    if (got[i] !== `line ${i + 1}`) return `line ${i + 1} is ${JSON.stringify(got[i])}`;
  }
  return got[LINES] === `DONE ${LINES}` ? null : `last line is ${JSON.stringify(got[LINES])}`;
}

describe('devlaunch up output', () => {
  it('two chatty services: every line once, whole, prefixed, in order; logs complete; exit 0', async () => {
    const p = project({
      services: {
        one: { command: nodeFixture('lines.mjs'), env: { LINES: String(LINES) } },
        // A service with its own ready: started, to cover both defaults.
        two: {
          command: nodeFixture('lines.mjs'),
          env: { LINES: String(LINES) },
          ready: { log: '^line 1$' },
        },
      },
    });
    const cli = up(p);
    const exit = await cli.waitForExit(30_000);
    expect(exit).toEqual({ code: 0, signal: null });
    const byService: Record<string, string[]> = { one: [], two: [] };
    const stray: string[] = [];
    for (const line of cli.stdout.lines) {
      const m = /^(one|two) \| (.*)$/.exec(line);
      if (m) byService[m[1]!]!.push(m[2]!);
      else if (!line.startsWith('devlaunch ') && !/^(SERVICE|one |two |dashboard )/.test(line))
        stray.push(line);
    }
    expect(stray).toEqual([]);
    expect(fault(byService.one!)).toBeNull();
    expect(fault(byService.two!)).toBeNull();
    for (const service of ['one', 'two']) {
      const logged = readFileSync(p.log(service), 'utf8').split('\n');
      expect(logged.pop()).toBe(''); // the unterminated last line is closed in the log
      expect(fault(logged)).toBeNull();
    }
    expect(cli.stdout.text()).toMatch(/every service has ended/);
    expect(leftovers(cli)).toEqual([]);
  });
});
