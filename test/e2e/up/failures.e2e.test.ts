/**
 * Sessions of `devlaunch up` that end in failure: a service never ready, a service that exits
 * with an error, a command that does not exist, restarts that run out, a port held by a
 * foreign process, a broken manifest. Each exits with the contract's code, names the culprit,
 * and leaves nothing running.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort, type Listening, listenOn } from '../../helpers/ports.js';
import { cleanupTracked } from '../../helpers/processes.js';
import {
  busyPorts,
  ensureCliBuilt,
  leftovers,
  nodeFixture,
  project,
  removeProjects,
  up,
} from './helpers.js';

beforeAll(ensureCliBuilt, 120_000);

let foreign: Listening | null = null;

afterEach(async () => {
  await foreign?.close();
  foreign = null;
  await cleanupTracked();
  removeProjects();
});

function server(port: number, extra: Record<string, unknown> = {}) {
  return {
    command: nodeFixture('server.mjs'),
    port,
    ready: { http: '/health' },
    stop_timeout: '1s',
    ...extra,
  };
}

describe('devlaunch up fails cleanly', () => {
  it('a readiness timeout: exit 1 naming the service as not ready, nothing left', async () => {
    const [pok, pslow] = [await freePort(), await freePort()];
    const p = project({
      services: {
        ok: server(pok),
        slow: server(pslow, {
          env: { READY_DELAY_MS: '60000' },
          // Long enough for Node to boot (and trap SIGTERM) on a loaded machine.
          ready: { http: '/health', timeout: '3s' },
        }),
      },
    });
    const cli = up(p);
    // Failed at its timeout, not when the server would have listened (60 s, longer than the
    // wait below).
    const exit = await cli.waitForExit(25_000);
    expect(exit.code).toBe(1);
    expect(cli.stderr.text()).toMatch(/slow failed: not ready after 3s/);
    // Still running when it failed: it is stopped like any other, with its stop_signal first.
    expect(cli.stdout.lines).toContain('slow | STOPPING');
    expect(cli.stdout.text()).not.toMatch(/slow killed/);
    expect(leftovers(cli)).toEqual([]);
    expect(await busyPorts([pok, pslow])).toEqual([]);
  });

  it('a service failing after start-up is reported; the others keep answering HTTP', async () => {
    const [pa, pb] = [await freePort(), await freePort()];
    const p = project({
      services: {
        a: server(pa),
        b: server(pb),
        bad: {
          command: nodeFixture('exit-early.mjs'),
          env: { EXIT_CODE: '3', DELAY_MS: '200' },
          depends_on: ['a', 'b'],
        },
      },
    });
    const cli = up(p);
    await cli.stdout.waitFor(/all services ready/, 15_000);
    await cli.stdout.waitFor(/hint: devlaunch restart bad/, 10_000);
    expect(cli.stdout.text()).toMatch(/bad failed after start-up; the other services keep running/);
    const err = cli.stderr.text();
    expect(err).toMatch(/bad failed: exited with code 3/);
    // Its output streamed above: the failure points there instead of printing it again.
    expect(err).toMatch(/its output is above; all of it: devlaunch logs bad/);
    expect(`${cli.stdout.text()}${err}`.match(/BYE/g)).toHaveLength(1);
    expect(cli.stdout.text()).not.toMatch(/stopping every service/);
    for (const port of [pa, pb]) {
      const res = await fetch(`http://127.0.0.1:${port}/health`);
      expect(res.status).toBe(200);
    }
    expect(cli.child.exitCode).toBeNull();
    process.kill(-cli.pid, 'SIGINT');
    const exit = await cli.waitForExit(10_000);
    expect(exit.code).toBe(130);
    expect(leftovers(cli)).toEqual([]);
    expect(await busyPorts([pa, pb])).toEqual([]);
  });

  it('--exit-on-failure: a service exiting with code 3 after start-up stops everything, exit 1', async () => {
    const [pa, pb] = [await freePort(), await freePort()];
    const p = project({
      services: {
        a: server(pa),
        b: server(pb),
        bad: {
          command: nodeFixture('exit-early.mjs'),
          env: { EXIT_CODE: '3', DELAY_MS: '200' },
          depends_on: ['a', 'b'],
        },
      },
    });
    const cli = up(p, ['--exit-on-failure']);
    await cli.stdout.waitFor(/all services ready/, 15_000);
    const exit = await cli.waitForExit(10_000);
    expect(exit.code).toBe(1);
    const err = cli.stderr.text();
    expect(err).toMatch(/bad failed: exited with code 3/);
    // Its output streamed above: the failure points there instead of printing it again.
    expect(err).toMatch(/its output is above; all of it: devlaunch logs bad/);
    expect(`${cli.stdout.text()}${err}`.match(/BYE/g)).toHaveLength(1);
    expect(cli.stdout.text()).toMatch(/bad failed: stopping every service/);
    expect(leftovers(cli)).toEqual([]);
    expect(await busyPorts([pa, pb])).toEqual([]);
  });

  it('up ends by itself, exit 1, once every service has failed after start-up', async () => {
    const p = project({
      services: {
        bad: { command: nodeFixture('exit-early.mjs'), env: { EXIT_CODE: '3', DELAY_MS: '200' } },
      },
    });
    const cli = up(p);
    await cli.stdout.waitFor(/all services ready/, 15_000);
    const exit = await cli.waitForExit(10_000);
    expect(exit.code).toBe(1);
    expect(cli.stderr.text()).toMatch(/bad failed: exited with code 3/);
    expect(cli.stdout.text()).toMatch(/every service has ended/);
    expect(leftovers(cli)).toEqual([]);
  });

  it.each([
    [
      'a string command (the shell exits 127)',
      'no-such-command-dl1 --flag',
      /ghost failed: command not found \(exit 127\)/,
    ],
    [
      'a list command (spawn fails)',
      ['no-such-command-dl1', '--flag'],
      /ghost failed to start: command not found: no-such-command-dl1/,
    ],
  ])(
    '%s that does not exist: exit 1, a clear message, nothing left',
    async (_what, command, message) => {
      const port = await freePort();
      const p = project({ services: { ok: server(port), ghost: { command } } });
      const cli = up(p);
      const exit = await cli.waitForExit(10_000);
      expect(exit.code).toBe(1);
      expect(cli.stderr.text()).toMatch(message);
      expect(leftovers(cli)).toEqual([]);
      expect(await busyPorts([port])).toEqual([]);
    },
  );

  it('restart on-failure, max_restarts 2: two restarts on the same PORT, then exit 1', async () => {
    const port = await freePort();
    const flaky = [
      "console.log('PORT', process.env.PORT, process.pid);",
      'setTimeout(() => { process.exitCode = 3; }, 50);',
    ].join('\n');
    const p = project(
      {
        services: {
          flaky: {
            command: [process.execPath, 'flaky.mjs'],
            port,
            restart: 'on-failure',
            max_restarts: 2,
            stop_timeout: '1s',
          },
        },
      },
      { 'flaky.mjs': flaky },
    );
    const cli = up(p);
    const exit = await cli.waitForExit(15_000);
    expect(exit.code).toBe(1);
    const out = cli.stdout.text();
    expect(out).toMatch(/flaky exited with code 3; restarting in 500ms \(attempt 1\)/);
    expect(out).toMatch(/flaky exited with code 3; restarting in 1\.0s \(attempt 2\)/);
    expect(out).not.toMatch(/attempt 3/);
    const seen = cli.stdout.lines.filter((l) => /^flaky \| PORT /.test(l));
    expect(seen).toHaveLength(3);
    expect(new Set(seen.map((l) => l.split(' ')[3]))).toEqual(new Set([String(port)]));
    expect(new Set(seen.map((l) => l.split(' ')[4])).size).toBe(3); // three processes
    // The log file marks each restart.
    expect(readFileSync(p.log('flaky'), 'utf8').match(/^--- restarted at /gm)).toHaveLength(2);
    expect(cli.stderr.text()).toMatch(/flaky failed: exited with code 3/);
    expect(leftovers(cli)).toEqual([]);
  });

  it('a preferred port held by a foreign listener: exit 3 naming the port and the service', async () => {
    foreign = await listenOn(0);
    const port = foreign.port;
    const p = project({ services: { web: server(port) } });
    const cli = up(p);
    const exit = await cli.waitForExit(10_000);
    expect(exit.code).toBe(3);
    const err = cli.stderr.text();
    expect(err).toContain(String(port));
    expect(err).toContain('web');
    expect(leftovers(cli)).toEqual([]);
    expect(cli.stdout.text()).not.toMatch(/starting web/);
  });

  it('a broken manifest: exit 2 and nothing started', async () => {
    const port = await freePort();
    const p = project({
      services: {
        web: server(port),
        touch: { command: 'touch started', cwd: '.', restrat: 'no' },
      },
    });
    const cli = up(p);
    const exit = await cli.waitForExit(10_000);
    expect(exit.code).toBe(2);
    expect(cli.stderr.text()).toMatch(/services\.touch\.restrat/);
    expect(cli.stdout.text()).not.toMatch(/starting/);
    expect(existsSync(join(p.root, 'started'))).toBe(false);
    expect(leftovers(cli)).toEqual([]);
    expect(await busyPorts([port])).toEqual([]);
  });
});
