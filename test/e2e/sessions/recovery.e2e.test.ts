/**
 * Crash recovery: after kill -9 of the supervisor AND its watchdog, `down` and a new `up` find
 * the leftovers through the state (pid + start time, descendants, the session mark) and stop
 * them without asking. And a state file that is corrupt, or that names a pid now used by a
 * foreign process: clear messages, no crash, never a wrong kill.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../helpers/ports.js';
import { cleanupTracked, isAlive, survivors, track, waitFor } from '../../helpers/processes.js';
import {
  busyPorts,
  cli,
  ensureCliBuilt,
  findWatchdog,
  nodeFixture,
  type Project,
  project,
  removeProjects,
  type Status,
  server,
  status,
  trackSupervisor,
} from './helpers.js';

beforeAll(ensureCliBuilt, 120_000);

afterEach(async () => {
  await cleanupTracked();
  removeProjects();
});

/**
 * A project whose services leave something behind a naive kill: a shell whose grandchild
 * (`sleep`) outlives it, and a service that ignores SIGTERM.
 */
async function crashable(): Promise<{ p: Project; ports: number[] }> {
  const [pweb, pstub] = [await freePort(), await freePort()];
  const p = project({
    // Longer than any test may run: a stop that used it instead of a service's own
    // stop_timeout would never end in time.
    stop_timeout: '1h',
    services: {
      web: server(pweb, {
        command: `sleep 300 & exec '${process.execPath}' '${nodeFixture('server.mjs')[1]}'`,
      }),
      // Ignores SIGTERM silently (a service that logs it dies of EPIPE once its supervisor is
      // gone, which would hide whether the grace before SIGKILL is the right one).
      stubborn: {
        command: [
          process.execPath,
          '-e',
          "process.on('SIGTERM', () => {}); require('net').createServer((s) => s.end()).listen(Number(process.env.PORT), '127.0.0.1');",
        ],
        port: pstub,
        stop_timeout: '500ms',
        depends_on: ['web'],
      },
    },
  });
  return { p, ports: [pweb, pstub] };
}

/** up -d, then SIGKILL the watchdog and the supervisor together, like `kill -9 A B`. */
async function upThenKillHard(p: Project): Promise<{ before: Status; leftovers: number[] }> {
  const up = await cli(p, ['up', '-d']);
  expect(up.code, up.stderr).toBe(0);
  const before = await status(p);
  const supervisor = trackSupervisor(before);
  const watchdog = findWatchdog(before.session!);
  expect(watchdog, 'no watchdog found for the session').not.toBeNull();
  track(watchdog!);
  process.kill(watchdog!, 'SIGKILL');
  process.kill(supervisor, 'SIGKILL');
  await waitFor(() => !isAlive(supervisor) && !isAlive(watchdog!), {
    what: 'supervisor and watchdog to die',
  });
  const leftovers = survivors(p.marker);
  // The services and the shell's grandchild are still there: only the state can find them.
  for (const s of before.services) expect(leftovers).toContain(s.pid);
  expect(leftovers.length).toBeGreaterThan(before.services.length);
  return { before, leftovers };
}

describe('after kill -9 of devlaunch and its watchdog', () => {
  it('down stops every leftover, verified by the state: zero survivors, ports bind', async () => {
    const { p, ports } = await crashable();
    const { before } = await upThenKillHard(p);
    const st = await status(p);
    expect(st.supervisor).toBeNull();
    expect(st.session).toBe(before.session);
    // Its services still run: status says so (exit 1) and names the way out.
    const plain = await cli(p, ['status']);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toContain('run devlaunch down to stop what it left');
    // stubborn ignores SIGTERM: its own 500ms stop_timeout applies, not the project's 1h (the
    // CLI helper fails the test if down does not exit within 20 s).
    const down = await cli(p, ['down']);
    expect(down.code, down.stderr).toBe(0);
    const said = `${down.stdout}${down.stderr}`;
    expect(said).toMatch(/leftover/);
    for (const s of before.services) expect(said).toContain(`${s.name} pid ${s.pid}`);
    expect(survivors(p.marker)).toEqual([]);
    expect(await busyPorts(ports)).toEqual([]);
    const after = (await status(p)) as Status & {
      lastSession: { session: string; reason: string };
    };
    expect(after.session).toBeNull();
    // Nothing of the session is left in .devlaunch/, and status says how it ended.
    const dir = join(p.root, '.devlaunch');
    expect(existsSync(join(dir, 'lock'))).toBe(false);
    expect(existsSync(join(dir, 'control', `${before.session}.sock`))).toBe(false);
    expect(after.lastSession.reason).toMatch(
      /supervisor was gone \(killed or crashed\) when devlaunch down cleared it; devlaunch down stopped \d+ leftover processes/,
    );
  });

  it('a new up -d reclaims the leftovers without asking, naming them, then down', async () => {
    const { p, ports } = await crashable();
    const { before, leftovers } = await upThenKillHard(p);
    // No --kill, no terminal: a foreign holder would fail with exit 3; our leftovers do not.
    const up = await cli(p, ['up', '-d', '--fail']);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stderr).toMatch(/leftover/);
    for (const s of before.services) expect(up.stderr).toContain(`${s.name} pid ${s.pid}`);
    for (const pid of leftovers) expect(isAlive(pid)).toBe(false);
    const now = await status(p);
    trackSupervisor(now);
    expect(now.session).not.toBe(before.session);
    for (const s of now.services) {
      expect(s.state).toBe('ready');
      expect(leftovers).not.toContain(s.pid);
    }
    const down = await cli(p, ['down']);
    expect(down.code, down.stderr).toBe(0);
    expect(survivors(p.marker)).toEqual([]);
    expect(await busyPorts(ports)).toEqual([]);
  });
});

/** A plain process that is not devlaunch's, tracked; resolves with its pid once running. */
async function foreignProcess(): Promise<number> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)'], {
    stdio: 'ignore',
    detached: true,
  });
  track(child.pid);
  await waitFor(() => isAlive(child.pid!), { what: 'the foreign process' });
  return child.pid!;
}

function startTimeOf(pid: number): string {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return text.slice(text.lastIndexOf(')') + 2).split(' ')[19]!;
}

function writeState(p: Project, text: string): void {
  mkdirSync(dirname(p.state), { recursive: true });
  writeFileSync(p.state, text);
}

describe('a damaged or outdated state file', () => {
  it('truncated: down, status and up say so clearly, never crash, and up starts', async () => {
    const port = await freePort();
    const p = project({ name: 'damaged', services: { web: server(port) } });
    writeState(p, '{"version":1,"project":"damaged","session":"abc","supervi');

    const st = await cli(p, ['status']);
    expect(st.code, st.stderr).toBe(3); // LSB: not running
    expect(`${st.stdout}${st.stderr}`).toMatch(/unreadable|corrupt|not valid JSON/i);
    expect(st.stderr).not.toMatch(/\n\s+at /); // no stack trace
    const stJson = await cli(p, ['status', '--json']);
    expect(stJson.code).toBe(3);
    expect(JSON.parse(stJson.stdout)).toMatchObject({ session: null, services: [] });

    const down = await cli(p, ['down']);
    expect(down.code, down.stderr).toBe(0);
    expect(down.stderr).toMatch(/unreadable/);
    expect(down.stderr).toMatch(/not valid JSON/);
    expect(down.stderr).not.toMatch(/\n\s+at /);

    writeState(p, '\u0000\u0000garbage');
    const up = await cli(p, ['up', '-d']);
    expect(up.code, up.stderr).toBe(0);
    trackSupervisor(await status(p));
    const again = await cli(p, ['down']);
    expect(again.code, again.stderr).toBe(0);
    expect(survivors(p.marker)).toEqual([]);
    expect(await busyPorts([port])).toEqual([]);
  });

  it('truncated while its session runs: down still stops the live supervisor', async () => {
    const port = await freePort();
    const p = project({ services: { web: server(port) } });
    const up = await cli(p, ['up', '-d']);
    expect(up.code, up.stderr).toBe(0);
    const before = await status(p);
    const supervisor = trackSupervisor(before);
    writeState(p, readFileSync(p.state, 'utf8').slice(0, 40));

    // status says a session runs that it cannot describe, never that nothing runs.
    const st = await cli(p, ['status']);
    expect(st.code).toBe(1);
    expect(st.stderr).toMatch(/runs \(supervisor pid \d+, since .*\) but its state cannot be read/);
    expect(st.stdout).not.toMatch(/nothing of .* is running/);

    const down = await cli(p, ['down']);
    expect(down.code, down.stderr).toBe(0);
    expect(down.stderr).toMatch(/unreadable/);
    expect(isAlive(supervisor)).toBe(false);
    expect(survivors(p.marker)).toEqual([]);
    expect(await busyPorts([port])).toEqual([]);
  });

  it('a recorded pid now used by a foreign process: it survives down, status and up', async () => {
    const port = await freePort();
    const p = project({ name: 'reused', services: { web: server(port) } });
    const foreign = await foreignProcess();
    const real = startTimeOf(foreign);
    const wrong = String(Number(real) - 1000);
    const record = {
      name: 'web',
      state: 'ready',
      pid: foreign,
      pgid: foreign,
      startTime: wrong,
      ports: { primary: port },
      url: `http://localhost:${port}`,
      startedAt: new Date(Date.now() - 60_000).toISOString(),
      restarts: 0,
      exitCode: null,
      env: { PORT: String(port) },
    };
    const state = {
      version: 1,
      project: 'reused',
      session: 'oldsession1',
      dynamic: false,
      manifest: p.file,
      root: p.root,
      startedAt: record.startedAt,
      supervisor: { pid: foreign, startTime: wrong },
      watchdog: { pid: foreign, startTime: wrong },
      services: [record],
    };
    writeState(p, JSON.stringify(state));

    const st = await status(p);
    expect(st.supervisor).toBeNull();
    expect(st.services[0]).toMatchObject({ name: 'web', state: 'stopped' });
    expect(isAlive(foreign)).toBe(true);

    const down = await cli(p, ['down']);
    expect(down.code, down.stderr).toBe(0);
    expect(isAlive(foreign)).toBe(true);
    expect(startTimeOf(foreign)).toBe(real);
    expect((await status(p)).session).toBeNull();

    // Again, this time met by up: it starts, and the foreign process lives on.
    writeState(p, JSON.stringify(state));
    const up = await cli(p, ['up', '-d']);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stderr).not.toContain(`pid ${foreign}`);
    trackSupervisor(await status(p));
    expect(isAlive(foreign)).toBe(true);
    const again = await cli(p, ['down']);
    expect(again.code, again.stderr).toBe(0);
    expect(isAlive(foreign)).toBe(true);
    expect(startTimeOf(foreign)).toBe(real);
    expect(survivors(p.marker)).toEqual([]);
  });
});
