/**
 * `devlaunch up --dry-run` prints the launch plan (ports and why, holders that would be
 * stopped, leftovers of a dead session, env, order) and changes nothing: every holder keeps
 * running without receiving a single signal, and no state, lock or log is written.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTimeOf } from '../../../src/process/index.js';
import { runCli } from '../../helpers/cli.js';
import { freePort } from '../../helpers/ports.js';
import { cleanupTracked, isAlive, LineReader, track } from '../../helpers/processes.js';
import { writeEarlierSession } from '../ports-policy/helpers.js';
import { ensureCliBuilt, nodeFixture, project, removeProjects } from './helpers.js';

beforeAll(ensureCliBuilt, 120_000);

afterEach(async () => {
  await cleanupTracked();
  removeProjects();
});

/** Listens on `port` and prints every signal it gets instead of dying of it. */
const HOLDER = `
const s = require('net').createServer().listen(Number(process.env.PORT), () => console.log('HOLDING'));
for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGUSR1', 'SIGUSR2']) {
  process.on(sig, () => console.log('SIGNAL ' + sig));
}`;

interface Holder {
  pid: number;
  startTime: string;
  out: LineReader;
}

async function holdPort(port: number): Promise<Holder> {
  const child = spawn(process.execPath, ['-e', HOLDER], {
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  track(child.pid);
  const out = new LineReader(child.stdout!);
  await out.waitFor(/^HOLDING$/, 10_000);
  return { pid: child.pid!, startTime: startTimeOf(child.pid!) ?? '', out };
}

function untouched(holder: Holder): void {
  expect(isAlive(holder.pid)).toBe(true);
  expect(startTimeOf(holder.pid)).toBe(holder.startTime);
  expect(holder.out.lines.filter((l) => l.startsWith('SIGNAL'))).toEqual([]);
}

function server(port: number | 'auto', extra: Record<string, unknown> = {}) {
  return { command: nodeFixture('server.mjs'), port, env: { GREETING: 'hi' }, ...extra };
}

describe('up --dry-run', () => {
  it('--kill: plans to stop the foreign holder, and stops nothing, writes nothing', async () => {
    const [held, free] = [await freePort(), await freePort()];
    const holder = await holdPort(held);
    const p = project({
      services: { api: server(held), web: { ...server(free), depends_on: ['api'] } },
    });
    const r = await runCli(['up', '-f', p.file, '--dry-run', '--kill', '--json'], { cwd: p.root });
    expect(r.code, r.stderr).toBe(0);
    const plan = JSON.parse(r.stdout);
    expect(plan.order).toEqual(['api', 'web']);
    const [api, web] = plan.ports;
    expect(api).toMatchObject({ label: 'api', status: 'ok', port: held, reason: 'freed' });
    expect(api.stop.map((h: { pid: number }) => h.pid)).toEqual([holder.pid]);
    expect(web).toMatchObject({ label: 'web', status: 'ok', port: free, reason: 'preferred' });
    const env = plan.services[0].env;
    expect(env).toMatchObject({ PORT: String(held), GREETING: 'hi', WEB_PORT: String(free) });
    expect(env.PATH).toBeUndefined(); // only what devlaunch sets, not the inherited environment
    untouched(holder);
    expect(readdirSync(p.root)).toEqual(['launcher.yaml']);
  });

  it('without a flag, off a terminal: says where up would stop (exit 3) and touches nothing', async () => {
    const held = await freePort();
    const holder = await holdPort(held);
    const p = project({ services: { api: server(held) } });
    const r = await runCli(['up', '-f', p.file, '--dry-run'], { cwd: p.root });
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(new RegExp(`api +${held} +- +up would stop here \\(foreign\\)`));
    expect(r.stderr).toMatch(
      `devlaunch up would stop: port ${held} of api is held by pid ${holder.pid}`,
    );
    untouched(holder);
    expect(readdirSync(p.root)).toEqual(['launcher.yaml']);
  });

  it('--remap and auto: a fresh port with the reason; the holder keeps its port', async () => {
    const held = await freePort();
    const holder = await holdPort(held);
    const p = project({ services: { api: server(held), worker: server('auto') } });
    const r = await runCli(['up', '-f', p.file, '--dry-run', '--remap'], { cwd: p.root });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(
        `api +${held} +\\d+ +remapped from ${held}: port ${held} is held by pid ${holder.pid}`,
      ),
    );
    expect(r.stdout).toMatch(/worker +auto +\d+ +dynamic: a free port from the OS/);
    expect(r.stdout).toMatch(/^ {2}GREETING=hi$/m);
    untouched(holder);
  });

  it('a dead session’s leftover: listed and planned as reclaimed, but left running', async () => {
    const held = await freePort();
    const holder = await holdPort(held);
    const p = project({ services: { api: server(held) } });
    const state = await writeEarlierSession(p.root, [
      { name: 'api', pid: holder.pid, startTime: holder.startTime, port: held },
    ]);
    const before = readFileSync(join(p.root, '.devlaunch', 'session.json'), 'utf8');
    const r = await runCli(['up', '-f', p.file, '--dry-run', '--json'], { cwd: p.root });
    expect(r.code, r.stderr).toBe(0);
    const plan = JSON.parse(r.stdout);
    expect(plan.leftovers).toEqual([
      expect.objectContaining({ session: state.session, service: 'api', pid: holder.pid }),
    ]);
    expect(plan.ports[0]).toMatchObject({ status: 'ok', port: held, reason: 'reclaimed' });
    untouched(holder);
    expect(readFileSync(join(p.root, '.devlaunch', 'session.json'), 'utf8')).toBe(before);
    expect(readdirSync(join(p.root, '.devlaunch'))).toEqual(['session.json']);
    expect(existsSync(join(p.root, '.devlaunch', 'lock'))).toBe(false);
  });
});
