/**
 * Start order of `devlaunch up`: depends_on ready / completed / started, independent services
 * in parallel, and `up SERVICE` starting only that service and what it depends on. Times come
 * from the fixtures' own `STARTED <epoch ms>` lines: server.mjs listens READY_DELAY_MS after it
 * started, so "b started at least that long after a" proves b waited for a.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../helpers/ports.js';
import { cleanupTracked } from '../../helpers/processes.js';
import {
  busyPorts,
  ensureCliBuilt,
  indexOf,
  leftovers,
  nodeFixture,
  project,
  removeProjects,
  startedAt,
  up,
} from './helpers.js';

beforeAll(ensureCliBuilt, 120_000);

afterEach(async () => {
  await cleanupTracked();
  removeProjects();
});

const DELAY = 300;

function server(port: number, extra: Record<string, unknown> = {}, delay = DELAY) {
  return {
    command: nodeFixture('server.mjs'),
    port,
    env: { READY_DELAY_MS: String(delay) },
    ready: { http: '/health' },
    stop_timeout: '1s',
    ...extra,
  };
}

async function stopWithCtrlC(cli: ReturnType<typeof up>, ports: number[]): Promise<void> {
  process.kill(-cli.pid, 'SIGINT');
  expect((await cli.waitForExit(10_000)).code).toBe(130);
  expect(leftovers(cli)).toEqual([]);
  expect(await busyPorts(ports)).toEqual([]);
}

describe('devlaunch up start order', () => {
  it('a → b → c with depends_on ready; two independent services start in parallel', async () => {
    const ports = await Promise.all([1, 2, 3, 4, 5].map(() => freePort()));
    const [pa, pb, pc, px, py] = ports as [number, number, number, number, number];
    const p = project({
      services: {
        a: server(pa),
        b: server(pb, { depends_on: ['a'] }),
        c: server(pc, { depends_on: { b: 'ready' } }),
        x: server(px, {}, 800),
        y: server(py, {}, 800),
      },
    });
    const cli = up(p);
    await cli.stdout.waitFor(/all services ready/, 15_000);
    const lines = cli.stdout.lines;
    const [a, b, c] = ['a', 'b', 'c'].map((s) => startedAt(lines, s)) as [number, number, number];
    expect(b - a).toBeGreaterThanOrEqual(DELAY);
    expect(c - b).toBeGreaterThanOrEqual(DELAY);
    // devlaunch's own account agrees: each started after the previous one was ready.
    expect(indexOf(lines, /ready a in/)).toBeLessThan(indexOf(lines, /starting b /));
    expect(indexOf(lines, /ready b in/)).toBeLessThan(indexOf(lines, /starting c /));
    // x and y listen 800 ms after they start: both started before either was ready (the order
    // of devlaunch's lines, not their times, which a loaded machine stretches).
    expect(Math.max(indexOf(lines, /starting x /), indexOf(lines, /starting y /))).toBeLessThan(
      Math.min(indexOf(lines, /ready x in/), indexOf(lines, /ready y in/)),
    );
    await stopWithCtrlC(cli, ports);
  });

  it('depends_on completed waits for a task to exit 0; started does not wait for readiness', async () => {
    const [papi, pslow] = [await freePort(), await freePort()];
    const p = project({
      services: {
        migrate: {
          command: nodeFixture('exit-early.mjs'),
          env: { EXIT_CODE: '0', DELAY_MS: '300' },
        },
        api: server(papi, { depends_on: { migrate: 'completed' } }, 0),
        slow: server(pslow, {}, 1500),
        early: {
          command: nodeFixture('server.mjs'),
          depends_on: { slow: 'started' },
        },
      },
    });
    const cli = up(p);
    await cli.stdout.waitFor(/all services ready/, 15_000);
    const lines = cli.stdout.lines;
    const bye = indexOf(lines, /^migrate\s*\| BYE$/);
    const completed = indexOf(lines, /completed migrate/);
    const startingApi = indexOf(lines, /starting api /);
    expect(bye).toBeGreaterThan(-1);
    expect(bye).toBeLessThan(completed);
    expect(completed).toBeLessThan(startingApi);
    expect(startingApi).toBeLessThan(indexOf(lines, /^api\s*\| STARTED/));
    // early needed slow started only: it started before slow was ready.
    expect(indexOf(lines, /starting early /)).toBeLessThan(indexOf(lines, /ready slow in/));
    // The completed task does not end the session; the table shows it completed.
    await cli.stdout.waitFor(/^migrate\s.*\scompleted$/);
    await stopWithCtrlC(cli, [papi, pslow]);
  });

  it('up SERVICE starts that service and what it depends on, nothing else', async () => {
    const ports = await Promise.all([1, 2, 3].map(() => freePort()));
    const [pa, pb, pc] = ports as [number, number, number];
    const p = project({
      services: {
        a: server(pa, {}, 0),
        b: server(pb, { depends_on: ['a'] }, 0),
        c: server(pc, {}, 0),
      },
    });
    const cli = up(p, ['b']);
    await cli.stdout.waitFor(/all services ready/, 15_000);
    const lines = cli.stdout.lines;
    expect(indexOf(lines, /starting a /)).toBeGreaterThan(-1);
    expect(indexOf(lines, /starting b /)).toBeGreaterThan(-1);
    expect(indexOf(lines, /\bc\b/)).toBe(-1);
    expect(await busyPorts([pc])).toEqual([]);
    await stopWithCtrlC(cli, ports);
  });
});
