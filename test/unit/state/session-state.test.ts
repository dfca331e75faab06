import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  listSessionFiles,
  readState,
  removeState,
  type SessionState,
  sessionFile,
  writeState,
} from '../../../src/state/index.js';
import { useTempRoot } from './temp-root.js';

const root = useTempRoot();

function state(over: Partial<SessionState> = {}): SessionState {
  return {
    version: 1,
    project: 'shop',
    session: 'main-1',
    dynamic: false,
    manifest: '/p/launcher.yaml',
    root: '/p',
    startedAt: '2024-05-01T10:00:00.000Z',
    supervisor: { pid: 4242, startTime: '123456' },
    watchdog: { pid: 4243, startTime: '123457' },
    services: [
      {
        name: 'backend',
        state: 'ready',
        pid: 5000,
        pgid: 5000,
        startTime: '123460',
        ports: { primary: 8000, debug: 9229 },
        url: 'http://localhost:8000',
        startedAt: '2024-05-01T10:00:01.000Z',
        restarts: 0,
        exitCode: null,
        env: { PORT: '8000' },
      },
      {
        name: 'migrate',
        state: 'completed',
        pid: null,
        pgid: null,
        startTime: null,
        ports: {},
        url: null,
        startedAt: null,
        restarts: 0,
        exitCode: 0,
        env: {},
      },
    ],
    ...over,
  };
}

describe('writeState / readState', () => {
  it('round-trips a state, creating the folders', () => {
    const file = sessionFile(root(), 'dyn-1');
    writeState(file, state());
    expect(readState(file)).toEqual({ kind: 'ok', state: state() });
  });

  it.skipIf(process.platform === 'win32')(
    'is readable by its user only: it holds the dashboard token and the services variables',
    () => {
      const file = sessionFile(root());
      writeState(file, state({ dashboard: 'http://127.0.0.1:4000/?token=secret' }));
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(readState(file)).toMatchObject({ state: { dashboard: expect.any(String) } });
    },
  );

  it('reads no file as none', () => {
    expect(readState(sessionFile(root()))).toEqual({ kind: 'none' });
  });

  it('replaces the previous content whole and leaves no temp file', () => {
    const file = sessionFile(root());
    writeState(file, state({ session: 'one' }));
    writeState(file, state({ session: 'two' }));
    expect(readState(file)).toMatchObject({ kind: 'ok', state: { session: 'two' } });
    expect(readdirSync(dirname(file))).toEqual(['session.json']);
  });

  it('keeps the old content when a write dies before its rename', () => {
    const file = sessionFile(root());
    writeState(file, state({ session: 'old' }));
    // What a crash mid-write leaves: a partial temp file beside the target, never renamed.
    const partial = JSON.stringify(state({ session: 'new' })).slice(0, 40);
    writeFileSync(join(dirname(file), '.session.json.999.dead.tmp'), partial);
    expect(readState(file)).toMatchObject({ kind: 'ok', state: { session: 'old' } });
    expect(listSessionFiles(root())).toEqual([file]);
  });

  it('does not leave the target half written when the new state cannot be serialised', () => {
    const file = sessionFile(root());
    writeState(file, state({ session: 'old' }));
    const bad = state() as unknown as Record<string, unknown>;
    bad.loop = bad;
    expect(() => writeState(file, bad as unknown as SessionState)).toThrow();
    expect(readState(file)).toMatchObject({ kind: 'ok', state: { session: 'old' } });
  });
});

describe('readState of a bad file', () => {
  const full = JSON.stringify(state());
  it.each([
    ['empty', '', /empty/],
    ['whitespace only', '  \n', /empty/],
    ['truncated', full.slice(0, full.length / 2), /not valid JSON \(truncated\?\)/],
    ['garbage', '\u0000\u0001garbage', /not valid JSON/],
    ['an array', '[]', /not a JSON object/],
    ['null', 'null', /not a JSON object/],
    [
      'another version',
      JSON.stringify({ ...state(), version: 2 }),
      /version 2 is not the supported version 1/,
    ],
    ['no version', JSON.stringify({ ...state(), version: undefined }), /version/],
    ['a wrong type', JSON.stringify({ ...state(), dynamic: 'yes' }), /at dynamic/],
    [
      'a bad service state',
      JSON.stringify({ ...state(), services: [{ ...state().services[0], state: 'running' }] }),
      /at services\.0\.state/,
    ],
    [
      'a missing field',
      JSON.stringify({ ...state(), supervisor: { pid: 1 } }),
      /at supervisor\.startTime/,
    ],
  ])('%s -> corrupt with a reason', (_what, content, reason) => {
    const file = sessionFile(root());
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
    const read = readState(file);
    expect(read).toMatchObject({ kind: 'corrupt', file });
    expect(read.kind === 'corrupt' && read.reason).toMatch(reason);
  });

  it('reports an unreadable path as corrupt instead of throwing', () => {
    const file = sessionFile(root());
    mkdirSync(file, { recursive: true }); // a folder where the file should be
    expect(readState(file)).toMatchObject({
      kind: 'corrupt',
      reason: expect.stringMatching(/cannot be read/),
    });
  });
});

describe('listSessionFiles', () => {
  it('is empty without a .devlaunch folder', () => {
    expect(listSessionFiles(root())).toEqual([]);
  });

  it('lists the main session and every dynamic one, skipping folders without a state file', () => {
    writeState(sessionFile(root(), 'b'), state({ session: 'b', dynamic: true }));
    writeState(sessionFile(root(), 'a'), state({ session: 'a', dynamic: true }));
    writeState(sessionFile(root()), state());
    mkdirSync(join(root(), '.devlaunch', 'sessions', 'empty', 'logs'), { recursive: true });
    writeFileSync(join(root(), '.devlaunch', 'sessions', 'stray-file'), 'x');
    expect(listSessionFiles(root())).toEqual([
      sessionFile(root()),
      sessionFile(root(), 'a'),
      sessionFile(root(), 'b'),
    ]);
  });

  it('lists dynamic sessions without a main one', () => {
    writeState(sessionFile(root(), 'x'), state({ dynamic: true }));
    expect(listSessionFiles(root())).toEqual([sessionFile(root(), 'x')]);
  });
});

describe('removeState', () => {
  it('removes the file and accepts one that is already gone', () => {
    const file = sessionFile(root());
    writeState(file, state());
    removeState(file);
    expect(readState(file)).toEqual({ kind: 'none' });
    expect(() => removeState(file)).not.toThrow();
    expect(listSessionFiles(root())).toEqual([]);
  });

  it('writes plain, readable JSON', () => {
    const file = sessionFile(root());
    writeState(file, state());
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(state());
  });
});
