/**
 * `status` when nothing runs is answered by a small bundle of its own (dist/cli/status-none.cjs)
 * when it can be, else by the status command: the answer must be the same either way, and the
 * small path must really spare loading the status command.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import nodeModule from 'node:module';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pathHash } from '../../../src/cli/code-cache.js';
import { runCli } from '../../helpers/cli.js';
import { project, removeTempDirs, tempDir } from '../../helpers/project.js';

afterAll(removeTempDirs);

const services = 'services:\n  api:\n    command: node api.js\n    port: 8000\n';
// Ended long ago: "ended 1234d05h ago" stays the same between two runs of a test.
const lastSession = {
  session: 'main',
  endedAt: '2020-01-02T03:04:05.000Z',
  reason: 'api exited with code 1',
};

/** A project that ended a session; `manifest` as its launcher.yaml. */
function ended(manifest: string): string {
  const { root } = project(manifest);
  mkdirSync(join(root, '.devlaunch'));
  writeFileSync(join(root, '.devlaunch', 'last-session.json'), JSON.stringify(lastSession));
  return root;
}

/** A lock left behind by a supervisor that is gone: only the full path can judge it. */
function staleLock(root: string): void {
  const owner = { pid: 2 ** 22 + 1, startTime: '1', startedAt: lastSession.endedAt };
  writeFileSync(join(root, '.devlaunch', 'lock'), JSON.stringify(owner));
}

/** A project the small bundle answers for: a plain manifest, no session, no lock. */
const quick = () => ended(`name: shop\n${services}`);

describe('status with nothing running', () => {
  // The quick path reads the plain shapes only; `---` first, or a stale lock, takes the full one.
  const full: [string, () => string][] = [
    ['a manifest only the parser reads', () => ended(`---\nname: shop\n${services}`)],
    [
      'a stale lock',
      () => {
        const root = quick();
        staleLock(root);
        return root;
      },
    ],
  ];
  for (const args of [['status'], ['status', '--json'], ['ps', '--color']]) {
    for (const [what, make] of full) {
      it(`${args.join(' ')}: the same answer as with ${what}`, async () => {
        const a = await runCli(args, { cwd: quick() });
        const b = await runCli(args, { cwd: make() });
        expect(a.code).toBe(3);
        expect(a.stdout).toContain('shop');
        expect(a.stdout).toContain(lastSession.reason);
        expect(a.stderr).toBe('');
        expect(b).toEqual(a);
      });
    }
  }

  it('reports a missing manifest as the status command does', async () => {
    const a = await runCli(['status'], { cwd: tempDir() });
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/launcher\.yaml/);
  });
});

// Node ≥ 22 caches compiled code itself, in files named by content: only Node 20's code cache
// (src/cli/code-cache.ts) names its entries after the bundles it loaded.
const ownCodeCache =
  typeof (nodeModule as { enableCompileCache?: unknown }).enableCompileCache !== 'function';

describe.runIf(ownCodeCache)('the bundles status loads', () => {
  const dist = resolve(import.meta.dirname, '../../../dist/cli');
  /** Which of devlaunch's bundles a `status` run in `cwd` loaded, from the code cache it wrote. */
  function loaded(cwd: string): string[] {
    const cache = join(tempDir(), 'xdg');
    const { NODE_DISABLE_COMPILE_CACHE: _n, ...env } = process.env;
    const run = spawnSync(
      process.execPath,
      [join(dist, '..', '..', 'bin', 'devlaunch.js'), 'status'],
      {
        cwd,
        env: { ...env, XDG_CACHE_HOME: cache },
        encoding: 'utf8',
        timeout: 20_000,
      },
    );
    expect(run.status).toBe(3);
    const root = join(cache, 'devlaunch', 'code-cache');
    const entries = existsSync(root)
      ? readdirSync(root, { recursive: true, encoding: 'utf8' })
      : [];
    const bundles = ['main.cjs', 'status-none.cjs', 'commands/status.cjs', 'parser.cjs'];
    return bundles.filter((name) => {
      const prefix = `${pathHash(join(dist, name))}-`;
      return entries.some((entry) => entry.split(/[\\/]/).at(-1)?.startsWith(prefix));
    });
  }

  it('is only the small one when nothing can run, the status command otherwise', () => {
    const root = quick();
    expect(loaded(root)).toEqual(['main.cjs', 'status-none.cjs']);
    staleLock(root);
    expect(loaded(root)).toEqual(['main.cjs', 'status-none.cjs', 'commands/status.cjs']);
  });
});
