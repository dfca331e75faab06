import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DevlaunchError } from '../../../src/errors.js';
import {
  describeExit,
  isSameProcess,
  processInfo,
  spawnService,
} from '../../../src/process/index.js';
import { cleanupTracked, isAlive, waitFor } from '../../helpers/processes.js';
import { fixtures, node, shellQuote, startService } from './util.js';

afterEach(cleanupTracked);

const env = () => process.env as Record<string, string>;

describe('spawnService', () => {
  it('runs a string command through the shell, in its own process group', async () => {
    const s = await startService(
      `echo "hello $GREETING_NAME" && ${shellQuote(node)} exit-early.mjs`,
      {
        GREETING_NAME: 'world',
        EXIT_CODE: '3',
      },
    );
    expect(s.pgid).toBe(s.pid);
    await s.waitForLine(/^hello world$/);
    await s.waitForLine(/^BYE$/);
    expect(await s.exited).toEqual({ code: 3, signal: null });
    expect(describeExit(3, null)).toBe('exited with code 3');
  });

  it('runs a list command directly, with pid, pgid and start time of the process itself', async () => {
    const s = await startService([node, 'server.mjs'], { PORT: '0' });
    const [, , pid] = await s.waitForLine(/^LISTENING (\d+) (\d+)$/);
    expect(Number(pid)).toBe(s.pid); // no shell in between
    const info = processInfo(s.pid);
    expect(info).toMatchObject({
      pid: s.pid,
      pgid: s.pid,
      ppid: process.pid,
      startTime: s.startTime,
    });
    expect(info?.command).toContain('server.mjs');
    expect(isSameProcess({ pid: s.pid, startTime: s.startTime })).toBe(true);
  });

  it('a missing command in a string command makes the shell exit 127: "command not found"', async () => {
    const s = await startService('devlaunch-no-such-command-xyz --flag');
    const { code, signal } = await s.exited;
    expect(code).toBe(127);
    expect(describeExit(code, signal)).toBe('command not found (exit 127)');
  });

  it('a list command that does not exist rejects naming the service and ENOENT', async () => {
    const error = await spawnService({
      name: 'api',
      command: ['devlaunch-no-such-command-xyz', '--flag'],
      cwd: fixtures,
      env: env(),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DevlaunchError);
    expect((error as DevlaunchError).code).toBe('SERVICE_FAILED');
    expect((error as DevlaunchError).message).toMatch(
      /api.*command not found.*devlaunch-no-such-command-xyz.*ENOENT/,
    );
  });

  it('a list command that is not executable rejects with "not executable"', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'devlaunch-spawn-'));
    try {
      writeFileSync(join(dir, 'script.sh'), '#!/bin/sh\necho hi\n', { mode: 0o644 });
      const error = await spawnService({
        name: 'worker',
        command: ['./script.sh'],
        cwd: dir,
        env: env(),
      }).catch((e: unknown) => e);
      expect((error as Error).message).toMatch(/worker.*not executable.*script\.sh/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a missing cwd rejects naming the service and the directory, not the command', async () => {
    const cwd = join(fixtures, 'no-such-dir');
    for (const command of [[node, 'server.mjs'], 'node server.mjs']) {
      const error = await spawnService({ name: 'web', command, cwd, env: env() }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(DevlaunchError);
      expect((error as Error).message).toBe(
        `service web cannot start: working directory ${cwd} does not exist`,
      );
    }
  });

  it('passes exactly the given environment', async () => {
    const s = await startService([node, '-e', 'console.log("V=" + process.env.ONLY_HERE)'], {
      ONLY_HERE: 'yes',
    });
    await s.waitForLine(/^V=yes$/);
    await s.exited;
  });

  it('exited resolves with the signal for a killed process', async () => {
    const s = await startService([node, 'ignore-term.mjs']);
    await s.waitForLine(/^READY/);
    process.kill(s.pid, 'SIGKILL');
    const { code, signal } = await s.exited;
    expect({ code, signal }).toEqual({ code: null, signal: 'SIGKILL' });
    expect(describeExit(code, signal)).toBe('killed by SIGKILL');
    await waitFor(() => !isAlive(s.pid), { what: 'the killed fixture to be gone' });
  });
});
