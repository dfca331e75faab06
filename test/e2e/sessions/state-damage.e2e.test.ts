/**
 * An unusable `.devlaunch/` (a file in its place, `session.json` a folder, read-only) is a clear
 * error naming the path and the fix — exit 1, no stack trace, nothing started, nothing stopped.
 * A manifest broken while services run (a syntax error, an invalid key) never keeps `down`,
 * `status`, `env`, `logs`, `ports` or `free` from working from the recorded state.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { freePort } from '../../helpers/ports.js';
import { cleanupTracked, isAlive, survivors } from '../../helpers/processes.js';
import {
  busyPorts,
  cli,
  cliForEveryone,
  ensureCliBuilt,
  type Project,
  project,
  removeCliCopy,
  removeProjects,
  server,
  shell,
  shellCli,
  squatter,
  status,
  trackSupervisor,
} from './helpers.js';

beforeAll(ensureCliBuilt, 120_000);
afterAll(removeCliCopy);

// Many CLI runs per test, each a second or more on a busy machine.
vi.setConfig({ testTimeout: 120_000 });

afterEach(async () => {
  await cleanupTracked();
  removeProjects();
});

function expectClearError(r: { code: number | null; stderr: string }, path: string, fix: RegExp) {
  expect(r.code, r.stderr).toBe(1);
  expect(r.stderr).toContain(path);
  expect(r.stderr).toMatch(fix);
  expect(r.stderr).not.toContain('internal error');
  expect(r.stderr).not.toMatch(/^\s+at /m); // no stack trace
}

describe('an unusable .devlaunch/', () => {
  it('a file in its place, or session.json a folder: every command names the path and the fix', async () => {
    const port = await freePort();
    const p = project({ services: { api: server(port) } });
    const dir = join(p.root, '.devlaunch');
    writeFileSync(dir, 'not a folder\n');
    for (const command of [['up'], ['up', '-d'], ['run', '--', 'true'], ['down'], ['status']]) {
      expectClearError(await cli(p, command), dir, /rm -r .*\.devlaunch/);
    }
    const { rmSync } = await import('node:fs');
    rmSync(dir);
    mkdirSync(join(dir, 'session.json'), { recursive: true });
    for (const command of [['up'], ['up', '-d'], ['down'], ['status']]) {
      expectClearError(await cli(p, command), join(dir, 'session.json'), /rm -r /);
    }
    expect(survivors(p.marker)).toEqual([]);
    expect(await busyPorts([port])).toEqual([]);
  });

  it('read-only for the user: up names the folder and how to make it writable', async () => {
    const port = await freePort();
    const p = project({ services: { api: server(port) } });
    const dir = join(p.root, '.devlaunch');
    mkdirSync(dir);
    chmodSync(dir, 0o555);
    // root may write anywhere: the user here is nobody, for whom the folder is read-only.
    chmodSync(p.root, 0o755);
    // From a copy every user can read: the checkout may be private to its owner.
    const sh = shell(
      p,
      `setpriv --reuid=65534 --regid=65534 --clear-groups ${shellCli(p, 'up', '', cliForEveryone())}`,
    );
    const exit = await sh.exit;
    expectClearError(
      { code: exit?.code ?? null, stderr: sh.stderr.text() },
      dir,
      /not writable[\s\S]*chmod -R u\+w/,
    );
    expect(survivors(p.marker)).toEqual([]);
    expect(await busyPorts([port])).toEqual([]);
  });

  it('damaged state never stops a foreign process: a state naming a stranger’s pid', async () => {
    const port = await freePort();
    const p = project({ services: { api: server(port) } });
    const stranger = await squatter(await freePort());
    mkdirSync(join(p.root, '.devlaunch'));
    // Plausible state, but the stranger's start time is not the recorded one.
    writeFileSync(
      join(p.root, '.devlaunch', 'session.json'),
      JSON.stringify({
        version: 1,
        project: 'x',
        session: 'abc',
        dynamic: false,
        manifest: p.file,
        root: p.root,
        startedAt: new Date().toISOString(),
        supervisor: { pid: stranger, startTime: '1' },
        watchdog: null,
        services: [
          {
            name: 'api',
            state: 'ready',
            pid: stranger,
            pgid: null,
            startTime: '1',
            ports: { primary: port },
            url: null,
            startedAt: null,
            restarts: 0,
            exitCode: null,
            env: {},
          },
        ],
      }),
    );
    const down = await cli(p, ['down']);
    expect(down.code, down.stderr).toBe(0);
    expect(isAlive(stranger)).toBe(true);
  });
});

/** up -d of a two-service project, tracked; returns its status. */
async function upDetached(p: Project) {
  const up = await cli(p, ['up', '-d']);
  expect(up.code, up.stderr).toBe(0);
  const st = await status(p);
  trackSupervisor(st);
  return st;
}

describe('a manifest broken while services run', () => {
  for (const [what, broken] of [
    ['a YAML syntax error', 'services:\n  api: [unclosed\n'],
    ['an invalid key', 'services:\n  api:\n    comand: typo\n'],
  ] as const) {
    it(`${what}: status, env, logs, ports, free and down work from the recorded state`, async () => {
      const [pa, pb] = [await freePort(), await freePort()];
      const p = project({
        services: { api: server(pa), web: server(pb, { depends_on: ['api'] }) },
      });
      const before = await upDetached(p);
      writeFileSync(p.file, broken);
      const warning = /launcher\.yaml is not a valid manifest right now/;

      const st = await cli(p, ['status', '--json']);
      expect(st.code, st.stderr).toBe(0);
      expect(st.stderr).toMatch(warning);
      expect((JSON.parse(st.stdout) as { session: string }).session).toBe(before.session);
      const env = await cli(p, ['env', 'web', '--json']);
      expect(env.code, env.stderr).toBe(0);
      expect((JSON.parse(env.stdout) as Record<string, string>).API_PORT).toBe(String(pa));
      const logs = await cli(p, ['logs', 'api']);
      expect(logs.code, logs.stderr).toBe(0);
      expect(logs.stdout).toContain('LISTENING');
      const ports = await cli(p, ['ports', '--json']);
      expect(ports.code, ports.stderr).toBe(0);
      const rows = JSON.parse(ports.stdout) as {
        port: number;
        service: string;
        holder: { owner: string };
      }[];
      expect(rows.map((r) => [r.port, r.service, r.holder?.owner])).toEqual([
        [pa, 'api', 'ours'],
        [pb, 'web', 'ours'],
      ]);
      // free knows the holder is the running session's (from the state), so refuses it.
      const free = await cli(p, ['free', String(pa)]);
      expect(free.code).toBe(3);
      expect(free.stderr).toContain('devlaunch down stops it');

      // Found from a subfolder, the way git finds .git: the manifest's folder holds the state.
      const sub = join(p.root, 'sub');
      mkdirSync(sub);
      const down = await runCli(['down'], {
        cwd: sub,
        env: { [p.marker.split('=')[0]!]: p.marker.split('=')[1]! },
      });
      expect(down.code, down.stderr).toBe(0);
      expect(down.stderr).toMatch(warning);
      expect(down.stdout).toContain(`stopped session ${before.session}`);
      expect(survivors(p.marker)).toEqual([]);
      expect(await busyPorts([pa, pb])).toEqual([]);
      // up still refuses to start anything from a broken manifest.
      const up = await cli(p, ['up']);
      expect(up.code).toBe(2);
    });
  }
});
