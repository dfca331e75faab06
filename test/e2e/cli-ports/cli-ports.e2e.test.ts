/** `devlaunch ports` and `devlaunch free` through the built CLI, against real squatters. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FreeArgs } from '../../../src/app/options.js';
import { run as free } from '../../../src/cli/commands/free.js';
import { isDevlaunchError } from '../../../src/errors.js';
import { repoRoot, runCli } from '../../helpers/cli.js';
import { canBind, freePort, listenOn } from '../../helpers/ports.js';
import { cleanupTracked, isAlive, waitFor } from '../../helpers/processes.js';
import { removeTempDirs, tempDir, project as testProject } from '../../helpers/project.js';
import { canRunAsNobody, startSquatter, writeEarlierSession } from '../ports-policy/helpers.js';

afterEach(async () => {
  await cleanupTracked();
  removeTempDirs();
});

beforeAll(() => {
  if (!existsSync(join(repoRoot, 'dist/cli/commands/ports.cjs'))) {
    throw new Error('run npm run build before the CLI tests');
  }
});

/** A project folder with a launcher.yaml naming `web` (port `web`) and `api` (+ debug). */
const project = (ports: { web: number; api: number; debug: number }): string =>
  testProject(
    `name: shop\nservices:\n  web:\n    command: node web.js\n    port: ${ports.web}\n` +
      `  api:\n    command: node api.js\n    port: ${ports.api}\n    ports: { debug: ${ports.debug} }\n`,
    { prefix: 'devlaunch-cli-ports-' },
  ).root;

const emptyDir = () => tempDir('devlaunch-no-manifest-');

describe('devlaunch ports', () => {
  it('--json without a manifest: exactly the documented fields, holder null when free', async () => {
    const sq = await startSquatter();
    const free = await freePort();
    const r = await runCli(['ports', String(sq.port), String(free), '--json'], { cwd: emptyDir() });
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout);
    expect(rows).toEqual([
      {
        port: sq.port,
        service: null,
        free: false,
        holder: {
          pid: sq.pid,
          user: 'root',
          command: expect.stringContaining('squatter.mjs'),
          startedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
          owner: 'foreign',
        },
      },
      { port: free, service: null, free: true, holder: null },
    ]);
  });

  it('with a manifest: every preferred and named port, labelled, as a table', async () => {
    const sq = await startSquatter();
    const [api, debug] = [await freePort(), await freePort()];
    const root = project({ web: sq.port, api, debug });
    const r = await runCli(['ports'], { cwd: root });
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^PORT\s+SERVICE\s+STATE\s+PID\s+USER\s+OWNER\s+COMMAND$/);
    const web = lines.find((l) => l.startsWith(`${sq.port} `));
    expect(web).toMatch(
      new RegExp(`^${sq.port}\\s+web\\s+held\\s+${sq.pid}\\s+root\\s+foreign\\s+.*squatter\\.mjs`),
    );
    expect(lines.find((l) => l.startsWith(`${api} `))).toMatch(/\sapi\s+free$/);
    expect(lines.find((l) => l.startsWith(`${debug} `))).toMatch(/\sapi\.debug\s+free$/);
    const json = JSON.parse((await runCli(['ports', '--json'], { cwd: root })).stdout);
    expect(json.map((x: { service: string }) => x.service)).toEqual(['web', 'api', 'api.debug']);
  });

  it('shows a process of an earlier, dead session as stale-ours', async () => {
    const sq = await startSquatter();
    const root = project({ web: sq.port, api: await freePort(), debug: await freePort() });
    await writeEarlierSession(root, [
      { name: 'web', pid: sq.pid, startTime: sq.startTime, port: sq.port },
    ]);
    const r = await runCli(['ports', String(sq.port), '--json'], { cwd: root });
    expect(JSON.parse(r.stdout)[0]).toMatchObject({
      service: 'web',
      holder: { pid: sq.pid, owner: 'stale-ours' },
    });
    expect(isAlive(sq.pid)).toBe(true); // ports changes nothing
  });
});

describe('devlaunch free', () => {
  it('--yes stops the holder’s tree, says what it stopped, and the port binds', async () => {
    const sq = await startSquatter();
    const r = await runCli(['free', String(sq.port), '--yes'], { cwd: emptyDir() });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`stopped pid ${sq.pid}`);
    expect(r.stdout).toContain(`port ${sq.port} is free`);
    expect(isAlive(sq.pid)).toBe(false);
    await waitFor(() => !isAlive(sq.childPid), { what: 'the squatter’s child to be gone' });
    expect(await canBind(sq.port)).toBe(true);
  });

  it('without a terminal the command line is the consent: stops the holder without --yes', async () => {
    const sq = await startSquatter();
    const r = await runCli(['free', String(sq.port)], { cwd: emptyDir() });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`stopped pid ${sq.pid}`);
    expect(isAlive(sq.pid)).toBe(false);
    await waitFor(() => !isAlive(sq.childPid), { what: 'the squatter’s child to be gone' });
    expect(await canBind(sq.port)).toBe(true);
  });

  it('without a terminal the safety rules still hold: an ancestor of devlaunch is never stopped', async () => {
    // This test process is a parent of the CLI it runs: the rule refuses it, even with --force.
    const held = await listenOn();
    try {
      const r = await runCli(['free', String(held.port), '--force'], { cwd: emptyDir() });
      expect(r.code).toBe(3);
      expect(r.stderr).toContain(`pid ${process.pid} is a parent of this devlaunch`);
      expect(r.stderr).toContain('nothing was stopped');
    } finally {
      await held.close();
    }
  });

  it('a free port: says so, exit 0', async () => {
    const port = await freePort();
    const r = await runCli(['free', String(port)], { cwd: emptyDir() });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`port ${port} is already free`);
  });

  it.runIf(canRunAsNobody)(
    'refuses another user’s process (exit 3, says why) unless --force',
    async () => {
      const sq = await startSquatter({ asNobody: true });
      const plain = await runCli(['free', String(sq.port)], { cwd: emptyDir() });
      expect(plain.code).toBe(3);
      expect(plain.stderr).toContain('another user (nobody)');
      const refused = await runCli(['free', String(sq.port), '--yes'], { cwd: emptyDir() });
      expect(refused.code).toBe(3);
      expect(refused.stderr).toContain('another user (nobody)');
      expect(refused.stderr).toContain('--force');
      expect(isAlive(sq.pid)).toBe(true);
      const forced = await runCli(['free', String(sq.port), '--yes', '--force'], {
        cwd: emptyDir(),
      });
      expect(forced.code).toBe(0);
      expect(isAlive(sq.pid)).toBe(false);
    },
  );

  describe('on a terminal (confirmer injected)', () => {
    const args = (port: number, file: string): FreeArgs => ({
      file,
      dynamic: false,
      kill: false,
      remap: false,
      fail: false,
      force: false,
      exitOnFailure: false,
      port: [],
      open: true,
      color: false,
      json: false,
      verbose: false,
      ports: [port],
      yes: false,
    });
    const noManifest = () => join(emptyDir(), 'launcher.yaml');

    it('a "no" stops nothing and exits 3', async () => {
      const sq = await startSquatter();
      const asked: string[] = [];
      const error = await free(args(sq.port, noManifest()), {
        interactive: true,
        confirm: async (q) => {
          asked.push(q);
          return false;
        },
      }).catch((e: unknown) => e);
      expect(isDevlaunchError(error) && error.exitCode).toBe(3);
      expect(asked).toHaveLength(1);
      expect(isAlive(sq.pid)).toBe(true);
    });

    it('a "yes" stops the holder', async () => {
      const sq = await startSquatter();
      const code = await free(args(sq.port, noManifest()), {
        interactive: true,
        confirm: async () => true,
      });
      expect(code).toBe(0);
      expect(isAlive(sq.pid)).toBe(false);
    });
  });
});
