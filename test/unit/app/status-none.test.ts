/**
 * `status` when nothing runs, decided without the manifest's parser: an answer only when nothing
 * can run (no session file, no lock), else undefined for the full path to decide.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { statusWhenNothingRuns } from '../../../src/app/status-none.js';
import { DevlaunchError } from '../../../src/errors.js';
import { lockFile, sessionFile } from '../../../src/state/index.js';
import { project, removeTempDirs, tempDir } from '../../helpers/project.js';

afterEach(removeTempDirs);

const services = 'services:\n  api:\n    command: node api.js\n    port: 8000\n';
const where = (root: string) => ({ cwd: root, env: {} });

function write(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

describe('statusWhenNothingRuns', () => {
  it('answers "not running" (LSB 3) with the manifest name and no last session', () => {
    const { root } = project(`name: shop\n${services}`);
    const status = statusWhenNothingRuns(where(root));
    expect(status).toMatchObject({
      session: 'none',
      exitCode: 3,
      last: null,
      json: { project: 'shop', session: null, services: [], lastSession: null },
    });
  });

  it('names the project after its folder when the manifest has no name', () => {
    const { root } = project(services);
    expect(statusWhenNothingRuns(where(root))?.json.project).toBe(basename(root));
  });

  it('says how the last session ended', () => {
    const { root } = project(services);
    const last = { session: 's1', endedAt: '2026-01-02T03:04:05.000Z', reason: 'api exited' };
    write(join(root, '.devlaunch', 'last-session.json'), JSON.stringify(last));
    const status = statusWhenNothingRuns(where(root));
    expect(status?.last).toEqual(last);
    expect(status?.json.lastSession).toEqual({ endedAt: last.endedAt, reason: last.reason });
  });

  it('finds the manifest from a subfolder, and with -f', () => {
    const { root, file } = project(`name: shop\n${services}`);
    const sub = join(root, 'src', 'deep');
    mkdirSync(sub, { recursive: true });
    expect(statusWhenNothingRuns(where(sub))?.json.project).toBe('shop');
    expect(statusWhenNothingRuns({ cwd: tempDir(), env: {}, file })?.json.project).toBe('shop');
  });

  const undecided: [string, (root: string) => void][] = [
    ['a main session file', (root) => write(sessionFile(root), '{}')],
    ['a dynamic session file', (root) => write(sessionFile(root, 'dyn-1'), '{}')],
    ['a lock, even one whose owner is gone', (root) => write(lockFile(root), '{"pid":1}')],
  ];
  for (const [what, make] of undecided) {
    it(`leaves ${what} to the full path`, () => {
      const { root } = project(services);
      expect(statusWhenNothingRuns(where(root))).toBeDefined();
      make(root);
      expect(statusWhenNothingRuns(where(root))).toBeUndefined();
    });
  }

  it('leaves a manifest the quick reading does not read to the full path', () => {
    const { root } = project(`---\nname: shop\n${services}`);
    expect(statusWhenNothingRuns(where(root))).toBeUndefined();
  });

  it('throws what status throws: no manifest, an unusable state folder', () => {
    expect(() => statusWhenNothingRuns(where(tempDir()))).toThrow(
      expect.objectContaining({ code: 'MANIFEST_NOT_FOUND' }),
    );
    const { root } = project(services);
    writeFileSync(join(root, '.devlaunch'), 'not a folder');
    const thrown = (() => {
      try {
        statusWhenNothingRuns(where(root));
      } catch (error) {
        return error;
      }
    })();
    expect(thrown).toBeInstanceOf(DevlaunchError);
    expect((thrown as DevlaunchError).code).toBe('STATE_INVALID');
  });
});
