/** Ports from `.env`: `port: ${BACKEND_PORT:-8000}` drives the real port; an ignored setting warns. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { freePort } from '../../helpers/ports.js';
import { cleanupTracked, survivors } from '../../helpers/processes.js';
import {
  cli,
  ensureCliBuilt,
  project,
  removeProjects,
  server,
  status,
  trackSupervisor,
} from '../sessions/helpers.js';

beforeAll(ensureCliBuilt, 120_000);
vi.setConfig({ testTimeout: 90_000 });

afterEach(async () => {
  await cleanupTracked();
  removeProjects();
});

describe('ports from .env', () => {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the manifest syntax itself
  it('port: ${BACKEND_PORT:-8000} takes the port .env sets', async () => {
    const port = await freePort();
    const p = project({
      env_file: '.env',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the manifest syntax itself
      services: { backend: server(0, { port: '${BACKEND_PORT:-8000}' }) },
    });
    writeFileSync(join(p.root, '.env'), `BACKEND_PORT=${port}\n`);
    const up = await cli(p, ['up', '-d']);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stderr).not.toMatch(/overridden/);
    const st = await status(p);
    trackSupervisor(st);
    expect(st.services[0]!.ports.primary).toBe(port);
    const res = await fetch(`http://127.0.0.1:${port}/`);
    expect(await res.text()).toBe(`pid ${st.services[0]!.pid}`);
    expect((await cli(p, ['down'])).code).toBe(0);
    expect(survivors(p.marker)).toEqual([]);
  });

  it('warns once when .env sets BACKEND_PORT that devlaunch overrides, naming the fix', async () => {
    const [port, other] = [await freePort(), await freePort()];
    const p = project({ env_file: '.env', services: { backend: server(port) } });
    writeFileSync(join(p.root, '.env'), `BACKEND_PORT=${other}\n`);
    const up = await cli(p, ['up', '-d']);
    expect(up.code, up.stderr).toBe(0);
    trackSupervisor(await status(p));
    const warnings = up.stderr.split('\n').filter((l) => l.includes('overridden'));
    expect(warnings).toEqual([
      expect.stringContaining(
        `BACKEND_PORT=${other} in .env is overridden: devlaunch sets BACKEND_PORT=${port}`,
      ),
    ]);
    expect(up.stderr).toMatch(/port: \$\{BACKEND_PORT\}/);
    expect((await cli(p, ['down'])).code).toBe(0);
  });

  it('warns when .env or the shell sets PORT or HOST that a service gets its own of', async () => {
    const port = await freePort();
    const p = project({
      env_file: '.env',
      services: {
        backend: server(port),
        // No port: the shell's PORT reaches it unchanged, so it is not named.
        job: { command: ['sleep', '300'] },
      },
    });
    writeFileSync(join(p.root, '.env'), 'HOST=example.org\n');
    const up = await cli(p, ['up', '-d'], { env: { PORT: '1' } });
    expect(up.code, up.stderr).toBe(0);
    trackSupervisor(await status(p));
    const warnings = up.stderr.split('\n').filter((l) => l.includes('overridden'));
    expect(warnings).toEqual([
      expect.stringContaining(
        'HOST=example.org in .env is overridden: devlaunch gives each service its own HOST (backend localhost, job localhost)',
      ),
      expect.stringContaining(
        `PORT=1 in the environment is overridden: devlaunch gives each service its own PORT (backend ${port})`,
      ),
    ]);
    expect((await cli(p, ['down'])).code).toBe(0);
    expect(survivors(p.marker)).toEqual([]);
  });
});
