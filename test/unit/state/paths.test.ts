import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lockFile, logsDir, sessionFile, stateDir } from '../../../src/state/index.js';

const root = join('/', 'work', 'shop');

describe('state paths', () => {
  it('keeps everything under root/.devlaunch', () => {
    expect(stateDir(root)).toBe(join(root, '.devlaunch'));
    expect(lockFile(root)).toBe(join(root, '.devlaunch', 'lock'));
  });

  it('puts the main session at the top', () => {
    expect(sessionFile(root)).toBe(join(root, '.devlaunch', 'session.json'));
    expect(logsDir(root)).toBe(join(root, '.devlaunch', 'logs'));
  });

  it('gives each dynamic session its own folder', () => {
    expect(sessionFile(root, 'ab12')).toBe(
      join(root, '.devlaunch', 'sessions', 'ab12', 'session.json'),
    );
    expect(logsDir(root, 'ab12')).toBe(join(root, '.devlaunch', 'sessions', 'ab12', 'logs'));
  });

  it.each(['..', '.', 'a/b', 'a\\b', '', '../x'])('refuses the session id %j', (id) => {
    expect(() => sessionFile(root, id)).toThrow(/invalid session id/);
    expect(() => logsDir(root, id)).toThrow(/invalid session id/);
  });
});
