/**
 * Ownership against real processes: a stale process of an earlier session is reclaimed without
 * a question; a reused pid (recorded start time differs) is foreign and never stopped without
 * --kill; another user's process is refused unless --force.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { isDevlaunchError } from '../../../src/errors.js';
import type { SupervisorEvent } from '../../../src/output/events.js';
import type { Asker } from '../../../src/ports/ask.js';
import { holdersOf } from '../../../src/ports/ownership.js';
import { resolvePorts } from '../../../src/ports/resolve-ports.js';
import { startTimeOf } from '../../../src/process/index.js';
import { canBind } from '../../helpers/ports.js';
import { cleanupTracked, isAlive, waitFor } from '../../helpers/processes.js';
import {
  canRunAsNobody,
  manifest,
  removeTempDirs,
  startSquatter,
  writeEarlierSession,
} from './helpers.js';

afterEach(async () => {
  await cleanupTracked();
  removeTempDirs();
});

const never: Asker = async () => {
  throw new Error('must not ask');
};

async function failure(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!isDevlaunchError(error)) throw new Error(`expected a DevlaunchError, got ${String(error)}`);
  return error;
}

describe('ownership of a port holder', () => {
  it('stale-ours (pid and start time recorded by a dead session) is reclaimed without asking', async () => {
    const sq = await startSquatter();
    const m = manifest({ web: { port: sq.port, on_conflict: 'fail' } });
    await writeEarlierSession(m.root, [
      { name: 'web', pid: sq.pid, startTime: sq.startTime, port: sq.port },
    ]);
    const [holder] = await holdersOf([sq.port], m.root);
    expect(holder).toMatchObject({ pid: sq.pid, owner: 'stale-ours' });
    const events: SupervisorEvent[] = [];
    const ports = await resolvePorts(m, ['web'], {
      dynamic: false,
      overrides: {},
      interactive: true,
      ask: never,
      emit: (e) => events.push(e),
    });
    expect(ports.web?.primary).toBe(sq.port);
    expect(isAlive(sq.pid)).toBe(false);
    await waitFor(() => !isAlive(sq.childPid), { what: 'the stale child to be gone' });
    expect(await canBind(sq.port)).toBe(true);
    expect(events).toEqual([
      expect.objectContaining({
        type: 'port-reclaimed',
        service: 'web',
        port: sq.port,
        pid: sq.pid,
      }),
    ]);
  });

  it('a descendant of a recorded process is stale-ours; its recorded tree is stopped', async () => {
    const bystander = await startSquatter();
    const sq = await startSquatter({ wrapped: true });
    const m = manifest({ web: { port: sq.port } });
    const wrapperStart = startTimeOf(sq.wrapperPid)!;
    await writeEarlierSession(m.root, [
      { name: 'web', pid: sq.wrapperPid, startTime: wrapperStart, port: sq.port },
    ]);
    const [holder] = await holdersOf([sq.port], m.root);
    expect(holder).toMatchObject({ pid: sq.pid, owner: 'stale-ours' });
    expect(holder?.classification.root).toEqual({ pid: sq.wrapperPid, startTime: wrapperStart });
    await resolvePorts(m, ['web'], { dynamic: false, overrides: {}, interactive: false });
    await waitFor(() => [sq.wrapperPid, sq.pid, sq.childPid].every((p) => !isAlive(p)), {
      what: 'the recorded tree to be gone',
    });
    expect(isAlive(bystander.pid)).toBe(true);
  });

  it('PID reuse: a record with the holder’s pid but another start time is foreign and left alone', async () => {
    const sq = await startSquatter();
    const m = manifest({ web: { port: sq.port } });
    await writeEarlierSession(m.root, [
      { name: 'web', pid: sq.pid, startTime: `${sq.startTime}9`, port: sq.port },
    ]);
    const [holder] = await holdersOf([sq.port], m.root);
    expect(holder).toMatchObject({ pid: sq.pid, owner: 'foreign' });
    const e = await failure(
      resolvePorts(m, ['web'], { dynamic: false, overrides: {}, interactive: false }),
    );
    expect(e.code).toBe('PORT_CONFLICT');
    const onFail = manifest({ web: { port: sq.port, on_conflict: 'remap' } }, { root: m.root });
    const remapped = await resolvePorts(onFail, ['web'], { dynamic: false, overrides: {} });
    expect(remapped.web?.primary).not.toBe(sq.port);
    expect(isAlive(sq.pid)).toBe(true);
    expect(isAlive(sq.childPid)).toBe(true);
  });

  it('a live session of this project holding the port is ours: never stopped, even with --kill', async () => {
    const sq = await startSquatter();
    const m = manifest({ web: { port: sq.port } });
    // The "supervisor" of the live session is this test process: alive, with its real start time.
    await writeEarlierSession(
      m.root,
      [{ name: 'web', pid: sq.pid, startTime: sq.startTime, port: sq.port }],
      {
        supervisor: { pid: process.pid, startTime: startTimeOf(process.pid)! },
        session: 'livesession',
      },
    );
    const e = await failure(
      resolvePorts(m, ['web'], { dynamic: false, overrides: {}, conflict: 'kill' }),
    );
    expect(e.message).toContain('session livesession');
    expect(isAlive(sq.pid)).toBe(true);
    const remapped = await resolvePorts(m, ['web'], {
      dynamic: false,
      overrides: {},
      conflict: 'remap',
    });
    expect(remapped.web?.primary).not.toBe(sq.port);
  });

  it.runIf(canRunAsNobody)(
    'refuses to kill another user’s process (exit 3, says why); --force stops it',
    async () => {
      const sq = await startSquatter({ asNobody: true });
      const m = manifest({ web: { port: sq.port, on_conflict: 'kill' } });
      const [holder] = await holdersOf([sq.port], m.root);
      expect(holder).toMatchObject({ pid: sq.pid, user: 'nobody', owner: 'foreign' });
      const e = await failure(resolvePorts(m, ['web'], { dynamic: false, overrides: {} }));
      expect(e.code).toBe('KILL_REFUSED');
      expect(e.exitCode).toBe(3);
      expect(e.message).toContain('another user (nobody)');
      expect(e.hint).toContain('--force');
      expect(isAlive(sq.pid)).toBe(true);
      const ports = await resolvePorts(m, ['web'], { dynamic: false, overrides: {}, force: true });
      expect(ports.web?.primary).toBe(sq.port);
      expect(isAlive(sq.pid)).toBe(false);
    },
  );
});
