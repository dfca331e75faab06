/**
 * `devlaunch up -d` and the commands that talk to its background session: `status --json`
 * (checked against /proc), `env` (dotenv, --json, --shell evaluated by a real shell),
 * `logs -n`, and `down`. Also: `out=$(devlaunch up -d)` returns, a service that never becomes
 * ready fails `up -d` cleanly, a second `up` is refused with exit 3, `down` with nothing running.
 */
import { existsSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../helpers/ports.js';
import { cleanupTracked, isAlive, survivors, waitFor } from '../../helpers/processes.js';
import {
  busyPorts,
  cli,
  cmdlineOf,
  ensureCliBuilt,
  environOf,
  findWatchdog,
  project,
  removeProjects,
  server,
  shell,
  shellCli,
  squatter,
  startDevlaunch,
  status,
  trackSupervisor,
} from './helpers.js';

beforeAll(ensureCliBuilt, 120_000);

afterEach(async () => {
  await cleanupTracked();
  removeProjects();
});

const chatty = {
  command: [
    process.execPath,
    '-e',
    "for (let i = 1; i <= 5; i++) console.log('chat ' + i); setInterval(() => {}, 1 << 30);",
  ],
  stop_timeout: '800ms',
};

describe('up -d and its session', () => {
  it('status --json, env, logs -n and down all describe and stop the real processes', async () => {
    const [pauth, pback] = [await freePort(), await freePort()];
    const p = project({
      name: 'shop',
      services: {
        auth: server(pauth),
        backend: server(pback, { depends_on: ['auth'], env: { GREETING: "it's a $$ test" } }),
        chatty,
      },
    });
    const up = await cli(p, ['up', '-d']);
    expect(up.code, up.stderr).toBe(0);
    // The ready table names every service with its URL.
    expect(up.stdout).toMatch(new RegExp(`backend\\s+http://localhost:${pback}\\s+\\d+`));
    expect(up.stdout).toMatch(new RegExp(`auth\\s+http://localhost:${pauth}\\s+\\d+`));

    const st = await status(p);
    const supervisor = trackSupervisor(st);
    // And, as the foreground's table, the session's dashboard.
    const dashboard = (st as typeof st & { dashboard: string }).dashboard;
    expect(dashboard).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=/);
    expect(up.stdout.split('\n')).toContain(`dashboard ${dashboard}`);
    expect(st.project).toBe('shop');
    expect(st.session).toMatch(/^\S+$/);
    expect(isAlive(supervisor)).toBe(true);
    expect(cmdlineOf(supervisor)).toContain('devlaunch.js up');
    expect(findWatchdog(st.session!)).not.toBeNull();
    expect(st.services.map((s) => s.name).sort()).toEqual(['auth', 'backend', 'chatty']);
    for (const s of st.services) {
      expect(Object.keys(s).sort()).toEqual(
        [
          'exitCode',
          'healthy',
          'name',
          'pid',
          'ports',
          'restarts',
          'startedAt',
          'state',
          'url',
        ].sort(),
      );
      expect(s.state).toBe('ready');
      expect(s.restarts).toBe(0);
      expect(s.exitCode).toBeNull();
      expect(new Date(s.startedAt!).toISOString()).toBe(s.startedAt);
      // The recorded pid is the spawned process itself: alive, of this session and service.
      expect(s.pid).not.toBeNull();
      expect(isAlive(s.pid!)).toBe(true);
      const env = environOf(s.pid!);
      expect(env?.DEVLAUNCH_SESSION).toBe(st.session);
      expect(env?.DEVLAUNCH_SERVICE).toBe(s.name);
    }
    const byName = Object.fromEntries(st.services.map((s) => [s.name, s]));
    expect(byName.backend?.ports).toEqual({ primary: pback });
    expect(byName.backend?.url).toBe(`http://localhost:${pback}`);
    expect(cmdlineOf(byName.backend!.pid!)).toContain('server.mjs');
    expect(environOf(byName.backend!.pid!)?.PORT).toBe(String(pback));
    expect(byName.auth?.ports).toEqual({ primary: pauth });
    expect(byName.chatty?.ports).toEqual({});
    expect(byName.chatty?.url).toBeNull();
    expect(await busyPorts([pauth, pback])).toEqual([pauth, pback]);

    // env --shell, evaluated by a real shell.
    const sh = shell(
      p,
      `eval "$(${shellCli(p, 'env', '--shell')})" && echo "URL=$BACKEND_URL" && echo "AUTH=$AUTH_PORT"`,
    );
    expect((await sh.exit)?.code, sh.stderr.text()).toBe(0);
    expect(sh.stdout.lines).toContain(`URL=http://localhost:${pback}`);
    expect(sh.stdout.lines).toContain(`AUTH=${pauth}`);
    // Not a service's own identity: evaluating it must not set HOST or PORT in the user's shell.
    const exported = await cli(p, ['env', '--shell']);
    expect(exported.stdout).not.toMatch(
      /^export (HOST|PORT|DEVLAUNCH_SERVICE|DEVLAUNCH_SESSION)=/m,
    );
    const shOne = shell(
      p,
      `eval "$(${shellCli(p, 'env', 'backend --shell')})" && echo "G=$GREETING"`,
    );
    expect((await shOne.exit)?.code, shOne.stderr.text()).toBe(0);
    expect(shOne.stdout.lines).toContain("G=it's a $ test");

    // env --json: one object per service; env SERVICE --json: one flat object.
    const json = await cli(p, ['env', '--json']);
    expect(json.code, json.stderr).toBe(0);
    const all = JSON.parse(json.stdout) as Record<string, Record<string, string>>;
    expect(Object.keys(all).sort()).toEqual(['auth', 'backend', 'chatty']);
    expect(all.backend?.PORT).toBe(String(pback));
    expect(all.backend?.AUTH_URL).toBe(`http://localhost:${pauth}`);
    expect(all.auth?.BACKEND_URL).toBe(`http://localhost:${pback}`);
    const one = await cli(p, ['env', 'backend', '--json']);
    expect(one.code, one.stderr).toBe(0);
    const flat = JSON.parse(one.stdout) as Record<string, string>;
    expect(flat.PORT).toBe(String(pback));
    expect(flat.GREETING).toBe("it's a $ test");
    // The session mark is never handed out: a shell that took it would count as a service.
    expect(JSON.stringify(all)).not.toContain('DEVLAUNCH_SESSION');
    expect(one.stdout).not.toContain('DEVLAUNCH_SESSION');
    // dotenv form
    const dotenv = await cli(p, ['env', 'backend']);
    expect(dotenv.stdout).toContain(`BACKEND_URL=http://localhost:${pback}`);

    // logs -n 2: the last two lines of the service, prefixed.
    await waitFor(async () => (await cli(p, ['logs', 'chatty'])).stdout.includes('chat 5'), {
      timeoutMs: 5000,
      what: 'chatty to have logged its five lines',
    });
    const logs = await cli(p, ['logs', 'chatty', '-n', '2']);
    expect(logs.code, logs.stderr).toBe(0);
    expect(logs.stdout.trimEnd().split('\n')).toEqual(['chatty | chat 4', 'chatty | chat 5']);

    // down: zero survivors, ports bind, exit 0, and status has no session any more.
    const down = await cli(p, ['down']);
    expect(down.code, down.stderr).toBe(0);
    expect(survivors(p.marker)).toEqual([]);
    expect(await busyPorts([pauth, pback])).toEqual([]);
    const after = await status(p);
    expect(after).toMatchObject({
      project: 'shop',
      session: null,
      services: [],
      lastSession: { reason: 'stopped by devlaunch down' },
    });
    expect(existsSync(p.state)).toBe(false);
  }, 60_000); // a dozen devlaunch runs, each over a second on a loaded machine

  it('out=$(devlaunch up -d) returns: the background supervisor holds no pipe', async () => {
    const port = await freePort();
    const p = project({ services: { web: server(port) } });
    const sh = shell(p, `out=$(${shellCli(p, 'up', '-d')}); echo "CODE=$?"; echo "$out"`, 15_000);
    const exit = await sh.exit;
    expect(exit, 'the shell never returned: a pipe is held').not.toBeNull();
    expect(exit?.code).toBe(0);
    expect(sh.stdout.lines).toContain('CODE=0');
    expect(sh.stdout.text()).toContain(`http://localhost:${port}`);
    const st = await status(p);
    trackSupervisor(st);
    expect(st.services[0]?.state).toBe('ready');
    const down = await cli(p, ['down']);
    expect(down.code, down.stderr).toBe(0);
    expect(survivors(p.marker)).toEqual([]);
    expect(await busyPorts([port])).toEqual([]);
  });

  it('a service that never becomes ready: exit 1 with its last output lines, nothing left', async () => {
    const [pok, pslow] = [await freePort(), await freePort()];
    const p = project({
      services: {
        ok: server(pok),
        slow: {
          command: [
            process.execPath,
            '-e',
            "console.log('slow warming up'); console.log('slow still not listening'); setInterval(() => {}, 1 << 30);",
          ],
          port: pslow,
          ready: { tcp: true, timeout: '2s' },
          stop_timeout: '500ms',
        },
      },
    });
    const up = await cli(p, ['up', '-d'], { timeoutMs: 15_000 });
    expect(up.code).toBe(1);
    expect(up.stderr).toMatch(/slow/);
    expect(up.stderr).toMatch(/not ready/);
    expect(up.stderr).toContain('slow still not listening');
    expect(survivors(p.marker)).toEqual([]);
    expect(await busyPorts([pok, pslow])).toEqual([]);
    expect((await status(p)).session).toBeNull();
  });

  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(`${signal} to up -d while it waits: the session it started stops, exit ${code}`, async () => {
      const [pok, pslow] = [await freePort(), await freePort()];
      const p = project({
        services: {
          ok: server(pok),
          // Never listens: up -d waits for it until the signal.
          slow: {
            command: [process.execPath, '-e', 'setInterval(() => {}, 1 << 30)'],
            port: pslow,
            ready: { tcp: true, timeout: '60s' },
            stop_timeout: '500ms',
          },
        },
      });
      const up = startDevlaunch(p, ['up', '-d']);
      const st = await waitFor(
        async () => {
          const now = await status(p);
          return now.services.find((s) => s.name === 'ok')?.state === 'ready' && now;
        },
        { what: 'ok to be ready while slow is not', timeoutMs: 20_000 },
      );
      trackSupervisor(st);
      process.kill(up.pid, signal);
      const exit = await up.waitForExit(20_000);
      expect(exit.code).toBe(code);
      await up.stderr.waitFor(/everything stopped/);
      // Nothing of the session is left, and nothing starts later.
      expect(survivors(p.marker)).toEqual([]);
      expect(await busyPorts([pok, pslow])).toEqual([]);
      expect((await status(p)).session).toBeNull();
    });
  }

  it('a dashboard port that is taken: up -d says so, and the session runs without one', async () => {
    const [port, taken] = [await freePort(), await freePort()];
    await squatter(taken);
    const p = project({ dashboard: taken, services: { web: server(port) } });
    const up = await cli(p, ['up', '-d']);
    expect(up.code, up.stderr).toBe(0);
    trackSupervisor(await status(p));
    expect(up.stderr).toContain(`no dashboard: port ${taken} on 127.0.0.1 is in use`);
    expect(up.stdout).not.toMatch(/^dashboard /m);
    expect((await cli(p, ['down'])).code).toBe(0);
    expect(survivors(p.marker)).toEqual([]);
  });

  it('a second up while one runs: exit 3, since when, and how to stop it; nothing started', async () => {
    const port = await freePort();
    const p = project({ services: { web: server(port) } });
    const first = await cli(p, ['up', '-d']);
    expect(first.code, first.stderr).toBe(0);
    const st = await status(p);
    trackSupervisor(st);
    for (const args of [['up', '-d'], ['up'], ['run', '--', 'true']]) {
      const second = await cli(p, args);
      expect(second.code, `${args.join(' ')}: ${second.stderr}`).toBe(3);
      expect(second.stderr).toMatch(/already running/);
      expect(second.stderr).toMatch(/since \d{4}-\d\d-\d\dT/);
      expect(second.stderr).toContain('devlaunch down');
    }
    // The first session is untouched.
    const again = await status(p);
    expect(again.session).toBe(st.session);
    expect(again.services[0]?.pid).toBe(st.services[0]?.pid);
    expect(isAlive(st.services[0]!.pid!)).toBe(true);
    const down = await cli(p, ['down']);
    expect(down.code, down.stderr).toBe(0);
    expect(survivors(p.marker)).toEqual([]);
  });

  it('down with nothing running says so and exits 0', async () => {
    const p = project({ name: 'idle', services: { web: server(await freePort()) } });
    const down = await cli(p, ['down']);
    expect(down.code).toBe(0);
    expect(`${down.stdout}${down.stderr}`).toMatch(/nothing of idle is running/);
    const st = await status(p);
    expect(st).toEqual({ project: 'idle', session: null, services: [], lastSession: null });
  });
});
