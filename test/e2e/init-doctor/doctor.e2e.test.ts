/**
 * `devlaunch doctor` against real projects: a healthy one, a broken manifest, a preferred port
 * held by another process, and state left by a session whose supervisor is gone. Doctor only
 * reports: the tests check that nothing it looked at was stopped, moved or removed.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { processInfo } from '../../../src/process/index.js';
import { sessionFile, writeState } from '../../../src/state/index.js';
import { runCli } from '../../helpers/cli.js';
import { freePort } from '../../helpers/ports.js';
import { cleanupTracked, isAlive, track, waitFor } from '../../helpers/processes.js';
import { removeTempDirs, tempDir } from '../../helpers/project.js';
import { doctorJson, entry, foreignListener, projectWith } from './helpers.js';

afterEach(async () => {
  await cleanupTracked();
  removeTempDirs();
});

const manifest = (backendPort: number, frontendPort: number, conflict = '') => `services:
  backend:
    command: node server.js
    port: ${backendPort}${conflict}
  frontend:
    command: node web.js
    port: ${frontendPort}
    depends_on: [backend]
`;

describe('devlaunch doctor', () => {
  it('passes a healthy project: exit 0, one line per check, no problems', async () => {
    const [a, b] = [await freePort(), await freePort()];
    const dir = projectWith(manifest(a, b));
    const text = await runCli(['doctor'], { cwd: dir });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^ok +manifest +launcher\.yaml is valid \(2 services/m);
    expect(text.stdout).toMatch(new RegExp(`^ok +port ${a} +backend: free$`, 'm'));
    expect(text.stdout).toMatch(new RegExp(`^ok +port ${b} +frontend: free$`, 'm'));
    expect(text.stdout).toMatch(/^ok +state +no session recorded/m);
    expect(text.stdout).toContain('no problems found');

    const { result, entries } = await doctorJson(dir);
    expect(result.code).toBe(0);
    const checks = entries.map((e) => e.check);
    const expected = ['manifest', `port ${a}`, 'privileged ports', 'reserved ports', 'state'];
    for (const check of [...expected, 'dynamic ports']) expect(checks).toContain(check);
    for (const e of entries)
      expect(Object.keys(e).sort()).toEqual(['check', 'hint', 'message', 'status']);
    expect(entries.every((e) => e.status !== 'error')).toBe(true);
  });

  it('reports every problem of a broken manifest like config does, and exits 1', async () => {
    const dir = projectWith('services:\n  web:\n    comand: node x.js\n    port: 70000\n');
    const text = await runCli(['doctor'], { cwd: dir });
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/^error +manifest +launcher\.yaml is not valid \(2 problems\)/m);
    expect(text.stdout).toContain('launcher.yaml:3:5 error services.web.comand: unknown key');
    expect(text.stdout).toContain('did you mean "command"?');
    expect(text.stdout).toContain('launcher.yaml:4:11 error services.web.port');

    const { result, entries } = await doctorJson(dir);
    expect(result.code).toBe(1);
    const check = entry(entries, 'manifest');
    expect(check.status).toBe('error');
    expect(check.diagnostics?.map((d) => [d.line, d.column])).toEqual([
      [3, 5],
      [4, 11],
    ]);
  });

  it('exits 1 when there is no manifest at all, pointing at devlaunch init', async () => {
    const { result, entries } = await doctorJson(tempDir());
    expect(result.code).toBe(1);
    expect(entries[0]).toMatchObject({ check: 'manifest', status: 'error' });
    expect(entries[0]?.hint).toContain('devlaunch init');
  });

  it('warns about a preferred port held by another process, naming its pid, and stops nothing', async () => {
    const holder = await foreignListener();
    const dir = projectWith(manifest(holder.port, await freePort()));
    const { result, entries } = await doctorJson(dir);
    expect(result.code).toBe(0);
    const port = entry(entries, `port ${holder.port}`);
    expect(port.status).toBe('warn');
    expect(port.message).toContain(`pid ${holder.pid}`);
    expect(port.message).toContain('backend');
    expect(port.hint).toContain(`devlaunch free ${holder.port}`);
    expect(isAlive(holder.pid)).toBe(true);
  });

  it('makes the same port an error when the service says on_conflict: fail', async () => {
    const holder = await foreignListener();
    const dir = projectWith(manifest(holder.port, await freePort(), '\n    on_conflict: fail'));
    const text = await runCli(['doctor'], { cwd: dir });
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(
      new RegExp(`^error +port ${holder.port} +backend: held by pid ${holder.pid}\\b`, 'm'),
    );
    expect(isAlive(holder.pid)).toBe(true);
  });

  it('reports a session whose supervisor is gone and what still runs of it, killing nothing', async () => {
    const dir = projectWith(manifest(await freePort(), await freePort()));
    const deadPid = await exitedPid();
    const leftover = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {
      stdio: 'ignore',
    });
    track(leftover.pid);
    const pid = leftover.pid!;
    const startTime = await waitFor(() => processInfo(pid)?.startTime, { what: 'its start time' });
    const file = sessionFile(dir);
    writeState(file, {
      version: 1,
      project: 'doctor-test',
      session: 'deadbeef0001',
      dynamic: false,
      manifest: join(dir, 'launcher.yaml'),
      root: dir,
      startedAt: new Date().toISOString(),
      supervisor: { pid: deadPid, startTime: '1' },
      watchdog: null,
      services: [
        {
          name: 'backend',
          state: 'ready',
          pid,
          pgid: null,
          startTime,
          ports: {},
          url: null,
          startedAt: new Date().toISOString(),
          restarts: 0,
          exitCode: null,
          env: {},
        },
      ],
    });
    const before = readFileSync(file, 'utf8');

    const { result, entries } = await doctorJson(dir);
    expect(result.code).toBe(0);
    const state = entry(entries, 'state');
    expect(state.status).toBe('warn');
    expect(state.message).toContain(`supervisor (pid ${deadPid})`);
    expect(state.message).toContain(`backend pid ${pid}`);
    expect(state.hint).toContain('devlaunch down');
    expect(isAlive(pid)).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('reports a corrupt state file without moving it', async () => {
    const dir = projectWith(manifest(await freePort(), await freePort()));
    const file = sessionFile(dir);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, '{"version":1,"proj');
    const { result, entries } = await doctorJson(dir);
    expect(result.code).toBe(0);
    const state = entry(entries, 'state');
    expect(state.status).toBe('warn');
    expect(state.message).toContain('unreadable');
    expect(existsSync(file)).toBe(true);
  });
});

/** The pid of a process that has exited (the supervisor of a session killed hard). */
async function exitedPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}
