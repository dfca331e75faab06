/**
 * `devlaunch run [SERVICE...] -- CMD`: CMD's exit code and environment, services that never
 * become ready (CMD never starts), Ctrl+C from the terminal, and parallel `--dynamic` runs
 * beside squatters on every preferred port.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../helpers/ports.js';
import { cleanupTracked, isAlive, survivors } from '../../helpers/processes.js';
import {
  busyPorts,
  cli,
  ensureCliBuilt,
  nodeFixture,
  project,
  removeProjects,
  server,
  squatter,
  startDevlaunch,
} from './helpers.js';

beforeAll(ensureCliBuilt, 120_000);

afterEach(async () => {
  await cleanupTracked();
  removeProjects();
});

/** Fetches BACKEND_URL/health and prints what CMD sees; exits with $CODE (default 0). */
const probe = [
  process.execPath,
  '--input-type=module',
  '-e',
  [
    'const e = process.env;',
    "const r = await fetch(e.BACKEND_URL + '/health');",
    "console.log(['SEEN', e.BACKEND_URL, e.BACKEND_PORT, e.FRONTEND_URL, r.status].join(' '));",
    'process.exitCode = Number(process.env.CODE ?? 0);',
  ].join('\n'),
];

describe('devlaunch run', () => {
  it("exits with CMD's code, and CMD sees every injected variable", async () => {
    const [pb, pf] = [await freePort(), await freePort()];
    const p = project({
      services: { backend: server(pb), frontend: server(pf, { depends_on: ['backend'] }) },
    });
    const seven = await cli(p, ['run', '--', 'sh', '-c', 'echo "URL=$BACKEND_URL"; exit 7']);
    expect(seven.code, seven.stderr).toBe(7);
    expect(seven.stdout).toContain(`URL=http://localhost:${pb}`);
    expect(survivors(p.marker)).toEqual([]);
    expect(await busyPorts([pb, pf])).toEqual([]);

    const ok = await cli(p, ['run', '--', ...probe]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain(`SEEN http://localhost:${pb} ${pb} http://localhost:${pf} 200`);
    // Quiet by default: the services' own lines go to the logs, not to the terminal.
    expect(ok.stdout).not.toMatch(/LISTENING/);
    expect(survivors(p.marker)).toEqual([]);
    expect(await busyPorts([pb, pf])).toEqual([]);
  });

  it('a service that never becomes ready: exit 1 with its output, and CMD never starts', async () => {
    const [pok, pslow] = [await freePort(), await freePort()];
    const p = project({
      services: {
        ok: server(pok),
        slow: server(pslow, {
          env: { READY_DELAY_MS: '30000' },
          ready: { http: '/health', timeout: '2s' },
        }),
      },
    });
    const marker = join(p.root, 'cmd-ran');
    const r = await cli(p, ['run', '--', 'sh', '-c', `touch '${marker}'`], { timeoutMs: 15_000 });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/slow/);
    expect(r.stderr).toMatch(/not ready/);
    expect(r.stderr).toMatch(/STARTED \d+/); // the failing service's last output is shown
    expect(existsSync(marker)).toBe(false);
    expect(survivors(p.marker)).toEqual([]);
    expect(await busyPorts([pok, pslow])).toEqual([]);
  });

  it('a service failing while CMD runs stops CMD and everything else: exit 1', async () => {
    const port = await freePort();
    const p = project({
      services: {
        ok: server(port),
        bad: {
          command: nodeFixture('exit-early.mjs'),
          env: { EXIT_CODE: '3', DELAY_MS: '1500' },
          depends_on: ['ok'],
        },
      },
    });
    const marker = join(p.root, 'cmd-ended');
    // CMD would run for a minute, then leave a marker: it must be stopped before that.
    const cmd = [
      process.execPath,
      '-e',
      `setTimeout(() => require('node:fs').writeFileSync(${JSON.stringify(marker)}, ''), 60000)`,
    ];
    const r = await cli(p, ['run', '--', ...cmd], { timeoutMs: 30_000 });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad failed: exited with code 3/);
    expect(existsSync(marker)).toBe(false);
    expect(survivors(p.marker)).toEqual([]);
    expect(await busyPorts([port])).toEqual([]);
  });

  it('Ctrl+C (SIGINT to the process group) stops CMD and the services: exit 130', async () => {
    const port = await freePort();
    const p = project({ services: { backend: server(port) } });
    // CMD ignores SIGINT like some test runners do: devlaunch must still stop it.
    const cmd = [
      process.execPath,
      '-e',
      "process.on('SIGINT', () => console.log('CMD GOT SIGINT')); console.log('CMD ' + process.pid); setInterval(() => {}, 1 << 30);",
    ];
    const run = startDevlaunch(p, ['run', '--', ...cmd]);
    const [, cmdPid] = await run.stdout.waitFor(/^CMD (\d+)$/, 15_000);
    expect(isAlive(Number(cmdPid))).toBe(true);
    process.kill(-run.pid, 'SIGINT');
    const exit = await run.waitForExit(15_000);
    expect(exit.code).toBe(130);
    expect(run.stdout.lines).toContain('CMD GOT SIGINT');
    expect(isAlive(Number(cmdPid))).toBe(false);
    expect(survivors(p.marker)).toEqual([]);
    expect(await busyPorts([port])).toEqual([]);
  });

  it('two run --dynamic in parallel beside squatters on every preferred port: both pass', async () => {
    const [pb, pf] = [await freePort(), await freePort()];
    const squatters = [await squatter(pb), await squatter(pf)];
    const p = project({
      services: { backend: server(pb), frontend: server(pf, { depends_on: ['backend'] }) },
    });
    const [a, b] = await Promise.all([
      cli(p, ['run', '--dynamic', '--', ...probe], { timeoutMs: 25_000 }),
      cli(p, ['run', '--dynamic', '--', ...probe], { timeoutMs: 25_000 }),
    ]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const seen = [a, b].map((r) => /SEEN (\S+) (\d+) (\S+) 200/.exec(r.stdout));
    expect(seen[0], a.stdout).not.toBeNull();
    expect(seen[1], b.stdout).not.toBeNull();
    const ports = seen.map((m) => Number(m![2]));
    expect(ports).not.toContain(pb);
    expect(ports[0]).not.toBe(ports[1]);
    // The squatters are untouched: same processes, still listening.
    for (const pid of squatters) expect(isAlive(pid)).toBe(true);
    expect(await busyPorts([pb, pf])).toEqual([pb, pf]);
    expect(survivors(p.marker)).toEqual([]);
    expect(await busyPorts(ports)).toEqual([]);
  });
});
