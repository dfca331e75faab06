/**
 * `restart` and `up SERVICE` through the control channel of a running session: the same
 * ports and session, new pids, exit codes 0 / 1 / 2 / 3, and `down SERVICE` then `up SERVICE`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { freePort, listenOn } from '../../helpers/ports.js';
import { cleanupTracked, isAlive, survivors } from '../../helpers/processes.js';
import {
  cli,
  ensureCliBuilt,
  nodeFixture,
  project,
  removeProjects,
  server,
  status,
  trackSupervisor,
} from '../sessions/helpers.js';

beforeAll(ensureCliBuilt, 120_000);

// Each test runs several CLI commands against real services: generous on a loaded machine.
vi.setConfig({ testTimeout: 90_000 });

afterEach(async () => {
  await cleanupTracked();
  removeProjects();
});

async function get(port: number, path = '/'): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  return res.text();
}

describe('restart', () => {
  it('restarts one service on the same port with a new pid; the others keep theirs', async () => {
    const [pa, pb] = [await freePort(), await freePort()];
    const p = project({ services: { api: server(pa), web: server(pb, { depends_on: ['api'] }) } });
    const up = await cli(p, ['up', '-d']);
    expect(up.code, up.stderr).toBe(0);
    const before = await status(p);
    trackSupervisor(before);
    const pid = (s: typeof before, name: string) => s.services.find((x) => x.name === name)!.pid!;

    const r = await cli(p, ['restart', 'api']);
    expect(r.code, r.stderr).toBe(0);
    const after = await status(p);
    expect(after.session).toBe(before.session);
    expect(pid(after, 'api')).not.toBe(pid(before, 'api'));
    expect(isAlive(pid(before, 'api'))).toBe(false);
    expect(pid(after, 'web')).toBe(pid(before, 'web'));
    const api = after.services.find((s) => s.name === 'api')!;
    expect(api.ports.primary).toBe(pa);
    expect(api.state).toBe('ready');
    // It answers on the same port, from the new process.
    expect(await get(pa)).toBe(`pid ${pid(after, 'api')}`);
    expect(r.stdout).toMatch(/api\s+ready/);

    expect((await cli(p, ['down'])).code).toBe(0);
    expect(survivors(p.marker)).toEqual([]);
  });

  it('gives every restarted service the environment it was first started with', async () => {
    const [pa, pb, pc] = [await freePort(), await freePort(), await freePort()];
    const p = project({
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a manifest reference, not JS
      env: { SHARED: 'all', OWN_PORT: '${PORT}' },
      services: {
        api: server(pa, { env: { ONLY_API: 'a' } }),
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a manifest reference, not JS
        web: server(pb, { depends_on: ['api'], env: { API: '${API_URL}', SHARED: 'web' } }),
        worker: server(pc),
      },
    });
    expect((await cli(p, ['up', '-d'])).code).toBe(0);
    const before = await status(p);
    trackSupervisor(before);
    const envOf = async (port: number) =>
      JSON.parse(await get(port, '/env')) as Record<string, string>;
    const envs = [await envOf(pa), await envOf(pb), await envOf(pc)];
    expect(envs[0]).toMatchObject({ PORT: String(pa), OWN_PORT: String(pa), ONLY_API: 'a' });
    expect(envs[1]).toMatchObject({
      PORT: String(pb),
      SHARED: 'web',
      API: `http://localhost:${pa}`,
    });
    expect(envs[1]?.ONLY_API).toBeUndefined();

    const r = await cli(p, ['restart']);
    expect(r.code, r.stderr).toBe(0);
    const after = await status(p);
    for (const s of after.services) {
      expect(s.pid).not.toBe(before.services.find((x) => x.name === s.name)?.pid);
    }
    expect([await envOf(pa), await envOf(pb), await envOf(pc)]).toEqual(envs);
    expect((await cli(p, ['down'])).code).toBe(0);
    expect(survivors(p.marker)).toEqual([]);
  });

  it('restart with no names restarts every service; no session is exit 3, a typo exit 2', async () => {
    const pa = await freePort();
    const p = project({ services: { api: server(pa) } });
    const none = await cli(p, ['restart']);
    expect(none.code).toBe(3);
    expect(none.stderr).toMatch(/no session of .* is running/);

    expect((await cli(p, ['up', '-d'])).code).toBe(0);
    const before = await status(p);
    trackSupervisor(before);
    const typo = await cli(p, ['restart', 'apu']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/no service named apu/);

    const all = await cli(p, ['restart']);
    expect(all.code, all.stderr).toBe(0);
    const after = await status(p);
    expect(after.services[0]!.pid).not.toBe(before.services[0]!.pid);
    expect(after.services[0]!.ports.primary).toBe(pa);
    expect((await cli(p, ['down'])).code).toBe(0);
  });

  /**
   * A session whose api serves until a file appears; from then on a start of api runs `broken`
   * instead (the file is there once this returns).
   */
  async function upThenBreak(broken: string, settings: object = {}) {
    const pa = await freePort();
    const p = project({
      services: {
        api: server(pa, {
          command: [
            'sh',
            '-c',
            `if [ -e broken ]; then ${broken}; fi; exec ${nodeFixture('server.mjs').join(' ')}`,
          ],
          ...settings,
        }),
      },
    });
    expect((await cli(p, ['up', '-d'])).code).toBe(0);
    trackSupervisor(await status(p));
    writeFileSync(`${p.root}/broken`, '');
    return p;
  }

  it('exits 1 when the restarted service never gets ready', async () => {
    const p = await upThenBreak('exit 4');
    const r = await cli(p, ['restart', 'api']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/api/);
    await cli(p, ['down']);
  });

  it('a restarted service that runs but never gets ready is shown failed, exit 1', async () => {
    const p = await upThenBreak('exec sleep 300', {
      ready: { tcp: true, timeout: '1s' },
      stop_timeout: '500ms',
    });
    const r = await cli(p, ['restart', 'api']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^api\s+failed\s/m);
    await cli(p, ['down']);
  });
});

describe('restart and down SERVICE with launcher.yaml broken while the session runs', () => {
  it('work from the recorded state with a warning; RESTARTS counts only the restart policy', async () => {
    const [pa, pb] = [await freePort(), await freePort()];
    const p = project({ services: { api: server(pa), web: server(pb, { depends_on: ['api'] }) } });
    expect((await cli(p, ['up', '-d'])).code).toBe(0);
    const before = await status(p);
    trackSupervisor(before);
    const pid = (s: typeof before, name: string) => s.services.find((x) => x.name === name)!.pid!;
    // Someone is editing it: a syntax error.
    writeFileSync(p.file, `${readFileSync(p.file, 'utf8')}\nservices: [\n`);

    const r = await cli(p, ['restart', 'api']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      /launcher\.yaml is not a valid manifest right now .*working from the recorded session state/,
    );
    const after = await status(p);
    expect(after.session).toBe(before.session);
    expect(pid(after, 'api')).not.toBe(pid(before, 'api'));
    expect(after.services.find((s) => s.name === 'api')).toMatchObject({
      state: 'ready',
      ports: { primary: pa },
      restarts: 0,
    });
    expect(await get(pa)).toBe(`pid ${pid(after, 'api')}`);

    const down = await cli(p, ['down', 'web']);
    expect(down.code, down.stderr).toBe(0);
    expect(down.stderr).toMatch(/working from the recorded session state/);
    expect(isAlive(pid(before, 'web'))).toBe(false);
    expect((await status(p)).services.find((s) => s.name === 'web')?.state).toBe('stopped');

    expect((await cli(p, ['down'])).code).toBe(0);
    expect(survivors(p.marker)).toEqual([]);
  });
});

describe('up SERVICE into a running session', () => {
  it('down frontend then up frontend: same session, same port, new pid; running ones left alone', async () => {
    const [pa, pb] = [await freePort(), await freePort()];
    const p = project({
      services: { backend: server(pa), frontend: server(pb, { depends_on: ['backend'] }) },
    });
    expect((await cli(p, ['up', '-d'])).code).toBe(0);
    const before = await status(p);
    trackSupervisor(before);
    const pid = (s: typeof before, name: string) => s.services.find((x) => x.name === name)!.pid!;

    expect((await cli(p, ['down', 'frontend'])).code).toBe(0);
    expect(isAlive(pid(before, 'frontend'))).toBe(false);
    const up = await cli(p, ['up', 'frontend']);
    expect(up.code, up.stderr).toBe(0);
    const after = await status(p);
    expect(after.session).toBe(before.session);
    expect(pid(after, 'backend')).toBe(pid(before, 'backend'));
    expect(pid(after, 'frontend')).not.toBe(pid(before, 'frontend'));
    expect(after.services.find((s) => s.name === 'frontend')!.ports.primary).toBe(pb);
    expect(await get(pb)).toBe(`pid ${pid(after, 'frontend')}`);

    // Already running: nothing changes, exit 0.
    const again = await cli(p, ['up', 'frontend']);
    expect(again.code, again.stderr).toBe(0);
    expect(pid(await status(p), 'frontend')).toBe(pid(after, 'frontend'));
    expect((await cli(p, ['down'])).code).toBe(0);
    expect(survivors(p.marker)).toEqual([]);
  });

  it('a service the session was not started with joins it: its port, its variables, same session', async () => {
    const [pa, pb] = [await freePort(), await freePort()];
    const p = project({
      services: {
        backend: server(pa),
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a manifest reference, not JS
        frontend: server(pb, { depends_on: ['backend'], env: { API: '${BACKEND_URL}' } }),
      },
    });
    expect((await cli(p, ['up', '-d', 'backend'])).code).toBe(0);
    const before = await status(p);
    trackSupervisor(before);
    expect(before.services.map((s) => s.name)).toEqual(['backend']);

    const up = await cli(p, ['up', 'frontend']);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toMatch(/frontend\s+ready/);
    const after = await status(p);
    expect(after.session).toBe(before.session);
    expect(after.supervisor?.pid).toBe(before.supervisor?.pid);
    const pid = (s: typeof before, name: string) => s.services.find((x) => x.name === name)!.pid!;
    expect(pid(after, 'backend')).toBe(pid(before, 'backend'));
    expect(after.services.find((s) => s.name === 'frontend')).toMatchObject({
      state: 'ready',
      ports: { primary: pb },
    });
    // The newcomer got the session's variables: its own port and the running backend's URL.
    const env = JSON.parse(await get(pb, '/env')) as Record<string, string>;
    expect(env).toMatchObject({
      PORT: String(pb),
      API: `http://localhost:${pa}`,
      BACKEND_URL: `http://localhost:${pa}`,
      DEVLAUNCH_SESSION: before.session,
    });
    // down then stops both, and nothing is left.
    expect((await cli(p, ['down'])).code).toBe(0);
    expect(survivors(p.marker)).toEqual([]);
  });

  it('a newcomer whose port is held is remapped by its on_conflict, and the running ones are told how to learn it', async () => {
    const [pa, pb] = [await freePort(), await freePort()];
    const p = project({
      services: {
        backend: server(pa),
        frontend: server(pb, { on_conflict: 'remap' }),
      },
    });
    expect((await cli(p, ['up', '-d', 'backend'])).code).toBe(0);
    trackSupervisor(await status(p));
    const squatter = await listenOn(pb);
    try {
      const up = await cli(p, ['up', 'frontend']);
      expect(up.code, up.stderr).toBe(0);
      const port = (await status(p)).services.find((s) => s.name === 'frontend')!.ports.primary!;
      expect(port).not.toBe(pb);
      expect(await get(port, '/health')).toBe('ok');
      expect(up.stderr).toMatch(
        new RegExp(
          `frontend got port ${port}, but backend was started with frontend's variables at port ${pb}`,
        ),
      );
      expect(up.stderr).toMatch(/devlaunch restart backend/);
    } finally {
      await squatter.close();
    }
    expect((await cli(p, ['down'])).code).toBe(0);
    expect(survivors(p.marker)).toEqual([]);
  });

  it('a newcomer whose port is held by a foreign process: exit 3 with nobody to ask, the session goes on; --remap gets it another port', async () => {
    const [pa, pb] = [await freePort(), await freePort()];
    const p = project({ services: { backend: server(pa), frontend: server(pb) } });
    expect((await cli(p, ['up', '-d', 'backend'])).code).toBe(0);
    const before = await status(p);
    trackSupervisor(before);
    const squatter = await listenOn(pb);
    try {
      const up = await cli(p, ['up', 'frontend']);
      expect(up.code).toBe(3);
      expect(up.stderr).toMatch(new RegExp(`${pb}`));
      const after = await status(p);
      expect(after.services.map((s) => [s.name, s.state])).toEqual([['backend', 'ready']]);
      expect(after.session).toBe(before.session);
      // The command line's --remap decides for the newcomer, as it would for a new session.
      const remapped = await cli(p, ['up', 'frontend', '--remap']);
      expect(remapped.code, remapped.stderr).toBe(0);
      const frontend = (await status(p)).services.find((s) => s.name === 'frontend')!;
      expect(frontend.state).toBe('ready');
      expect(frontend.ports.primary).not.toBe(pb);
    } finally {
      await squatter.close();
    }
    expect((await cli(p, ['down'])).code).toBe(0);
    expect(survivors(p.marker)).toEqual([]);
  });
});
