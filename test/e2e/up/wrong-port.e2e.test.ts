/**
 * A service that ignores $PORT and listens elsewhere: devlaunch says so while waiting for it,
 * long before its readiness timeout.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../helpers/ports.js';
import { cleanupTracked } from '../../helpers/processes.js';
import { ensureCliBuilt, leftovers, project, removeProjects, up } from './helpers.js';

beforeAll(ensureCliBuilt, 120_000);

afterEach(async () => {
  await cleanupTracked();
  removeProjects();
});

describe('listening on the wrong port', () => {
  it('names the port it listens on and $PORT before the timeout', async () => {
    const port = await freePort();
    // Listens on a port the OS hands out, whatever PORT says; prints which.
    const server = [
      "const s = require('node:http').createServer((q, r) => r.end('ok'));",
      "s.listen(0, '127.0.0.1', () => console.log('ACTUAL ' + s.address().port));",
    ].join('\n');
    const p = project({
      services: {
        backend: {
          command: [process.execPath, '-e', server],
          port,
          // Far longer than the test may run: the hint can only come before the timeout.
          ready: { tcp: true, timeout: '1h' },
          stop_timeout: '2s',
        },
      },
    });
    const cli = up(p);
    const actual = Number((await cli.stdout.waitFor(/backend\s*\| ACTUAL (\d+)/, 20_000))[1]);
    const hint = await cli.stdout.waitFor(/backend listens on (\d+), not on PORT=(\d+)/, 20_000);
    expect(Number(hint[1])).toBe(actual);
    expect(Number(hint[2])).toBe(port);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal text devlaunch prints
    expect(cli.stdout.text()).toContain('does its command use ${PORT}?');
    expect(cli.stdout.text()).not.toMatch(/all services ready/);
    process.kill(-cli.pid, 'SIGINT');
    const exit = await cli.waitForExit(15_000);
    expect(exit.code).toBe(130);
    expect(leftovers(cli)).toEqual([]);
  });
});
