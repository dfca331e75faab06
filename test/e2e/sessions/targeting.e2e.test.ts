/**
 * Which session `down` stops: with no main session, the one `--dynamic` session; with several,
 * none (they are listed); `--session ID` one, `--all` every one. The hint `up -d --dynamic`
 * prints is a command that works. A `--dynamic` session's folder goes when it ends, and `logs`
 * still shows that run. `down SERVICE` on a session whose supervisor is gone stops only that.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { repoRoot } from '../../helpers/cli.js';
import { freePort } from '../../helpers/ports.js';
import { cleanupTracked, isAlive, survivors, track, waitFor } from '../../helpers/processes.js';
import {
  busyPorts,
  cli,
  ensureCliBuilt,
  findWatchdog,
  type Project,
  project,
  removeProjects,
  server,
  shell,
  status,
  trackSupervisor,
} from './helpers.js';

beforeAll(ensureCliBuilt, 120_000);

// Many CLI runs per test, each a second or more on a busy machine.
vi.setConfig({ testTimeout: 120_000 });

afterEach(async () => {
  await cleanupTracked();
  removeProjects();
});

/** `up -d --dynamic`: its session id (from the hint), supervisor tracked. */
async function upDynamic(p: Project): Promise<{ id: string; hint: string }> {
  const up = await cli(p, ['up', '-d', '--dynamic']);
  expect(up.code, up.stderr).toBe(0);
  const hint = /Stop it with: (.*)$/m.exec(up.stderr)?.[1] ?? '';
  const id = /--session ([0-9a-f]+)/.exec(hint)?.[1] ?? '';
  expect(id, up.stderr).not.toBe('');
  const dir = join(p.root, '.devlaunch', 'sessions', id);
  const st = JSON.parse(
    (await import('node:fs')).readFileSync(join(dir, 'session.json'), 'utf8'),
  ) as { supervisor: { pid: number } };
  track(st.supervisor.pid);
  return { id, hint };
}

const sessionDirs = (p: Project) => {
  const dir = join(p.root, '.devlaunch', 'sessions');
  return existsSync(dir) ? readdirSync(dir) : [];
};

describe('down picks the session', () => {
  it('the one --dynamic session: plain down stops it; its folder goes; logs shows the run', async () => {
    const p = project({ services: { api: server(0) } });
    const { id, hint } = await upDynamic(p);
    expect(hint).toBe(`devlaunch down -f ${p.file} --session ${id}`);
    const down = await cli(p, ['down']);
    expect(down.code, down.stderr).toBe(0);
    expect(down.stdout).toContain(`stopped session ${id} (--dynamic)`);
    expect(survivors(p.marker)).toEqual([]);
    await waitFor(() => sessionDirs(p).length === 0, { what: 'the session folder to go' });
    const logs = await cli(p, ['logs', 'api']);
    expect(logs.code, logs.stderr).toBe(0);
    expect(logs.stdout).toMatch(/api\s+\| LISTENING/);
    const byId = await cli(p, ['logs', '--session', id]);
    expect(byId.stdout).toMatch(/api\s+\| LISTENING/);
  });

  it('the printed hint works as typed', async () => {
    const p = project({ services: { api: server(0) } });
    const { hint } = await upDynamic(p);
    const sh = shell(
      p,
      hint.replace(
        'devlaunch down',
        `'${process.execPath}' '${join(repoRoot, 'bin', 'devlaunch.js')}' down`,
      ),
    );
    expect((await sh.exit)?.code, sh.stderr.text()).toBe(0);
    expect(survivors(p.marker)).toEqual([]);
  });

  it('several --dynamic sessions: down lists them and stops none; --session one; --all the rest', async () => {
    const p = project({ services: { api: server(0) } });
    const a = await upDynamic(p);
    const b = await upDynamic(p);
    const c = await upDynamic(p);
    const down = await cli(p, ['down']);
    expect(down.code).toBe(2);
    for (const s of [a, b, c]) expect(down.stderr).toContain(s.id);
    expect(down.stderr).toContain('--session');
    expect(sessionDirs(p).sort()).toEqual([a.id, b.id, c.id].sort());
    const alive = survivors(p.marker).length;

    const one = await cli(p, ['down', '--session', b.id]);
    expect(one.code, one.stderr).toBe(0);
    await waitFor(() => !sessionDirs(p).includes(b.id), { what: 'b to end' });
    expect(sessionDirs(p).sort()).toEqual([a.id, c.id].sort());
    expect(survivors(p.marker).length).toBeLessThan(alive);

    const unknown = await cli(p, ['down', '--session', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(a.id);

    const all = await cli(p, ['down', '--all']);
    expect(all.code, all.stderr).toBe(0);
    expect(survivors(p.marker)).toEqual([]);
    await waitFor(() => sessionDirs(p).length === 0, { what: 'every session folder to go' });
  });

  it('a main session beside a --dynamic one: down stops the main one, --all both', async () => {
    const port = await freePort();
    const p = project({ services: { api: server(port) } });
    const up = await cli(p, ['up', '-d']);
    expect(up.code, up.stderr).toBe(0);
    const main = await status(p);
    trackSupervisor(main);
    const dyn = await upDynamic(p);
    const down = await cli(p, ['down']);
    expect(down.code, down.stderr).toBe(0);
    expect(down.stdout).toContain(`stopped session ${main.session}`);
    expect(isAlive(main.services[0]!.pid!)).toBe(false);
    expect(sessionDirs(p)).toEqual([dyn.id]);
    expect(survivors(p.marker).length).toBeGreaterThan(0);
    expect((await cli(p, ['down', '--all'])).code).toBe(0);
    expect(survivors(p.marker)).toEqual([]);
  });
});

describe('down SERVICE on a session whose supervisor is gone', () => {
  it('stops that service and its dependents only; the rest runs until a plain down', async () => {
    const ports = [await freePort(), await freePort(), await freePort()];
    const [pa, pw, po] = ports as [number, number, number];
    const p = project({
      services: {
        api: server(pa),
        web: server(pw, { depends_on: ['api'] }),
        other: server(po),
      },
    });
    const up = await cli(p, ['up', '-d']);
    expect(up.code, up.stderr).toBe(0);
    const before = await status(p);
    const supervisor = trackSupervisor(before);
    const watchdog = findWatchdog(before.session!)!;
    track(watchdog);
    process.kill(watchdog, 'SIGKILL');
    process.kill(supervisor, 'SIGKILL');
    await waitFor(() => !isAlive(supervisor) && !isAlive(watchdog), { what: 'both to die' });
    const pid = (n: string) => before.services.find((s) => s.name === n)!.pid!;

    const down = await cli(p, ['down', 'api']);
    expect(down.code, down.stderr).toBe(0);
    expect(isAlive(pid('api'))).toBe(false);
    expect(isAlive(pid('web'))).toBe(false);
    expect(isAlive(pid('other'))).toBe(true);
    expect(await busyPorts(ports)).toEqual([po]);
    const after = await status(p);
    expect(after.services.map((s) => [s.name, s.state])).toEqual([
      ['api', 'stopped'],
      ['web', 'stopped'],
      ['other', 'ready'],
    ]);

    expect((await cli(p, ['down'])).code).toBe(0);
    expect(survivors(p.marker)).toEqual([]);
    expect(await busyPorts(ports)).toEqual([]);
  });
});
