/** A foreign squatter on a preferred port meets each conflict policy: fail, kill, remap, ask. */
import { afterEach, describe, expect, it } from 'vitest';
import { isDevlaunchError } from '../../../src/errors.js';
import type { SupervisorEvent } from '../../../src/output/events.js';
import type { Asker } from '../../../src/ports/ask.js';
import { resolvePorts } from '../../../src/ports/resolve-ports.js';
import { canBind, freePort, listenOn, releasePort } from '../../helpers/ports.js';
import { cleanupTracked, isAlive, waitFor } from '../../helpers/processes.js';
import { manifest, removeTempDirs, startSquatter } from './helpers.js';

afterEach(async () => {
  await cleanupTracked();
  removeTempDirs();
});

async function failure(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!isDevlaunchError(error)) throw new Error(`expected a DevlaunchError, got ${String(error)}`);
  return error;
}

describe('a foreign process on the preferred port', () => {
  it('fail: exit 3 naming the pid, user, command and the ways out; the squatter is untouched', async () => {
    const sq = await startSquatter();
    const m = manifest({ web: { port: sq.port, on_conflict: 'fail' } });
    const e = await failure(
      resolvePorts(m, ['web'], { dynamic: false, overrides: {}, interactive: true }),
    );
    expect(e.code).toBe('PORT_CONFLICT');
    expect(e.exitCode).toBe(3);
    expect(e.message).toContain(`port ${sq.port} of web`);
    expect(e.message).toContain(`pid ${sq.pid} (user root)`);
    expect(e.message).toContain('squatter.mjs');
    for (const s of ['--kill', '--remap', `devlaunch free ${sq.port}`]) expect(e.hint).toContain(s);
    expect(isAlive(sq.pid)).toBe(true);
    expect(await canBind(sq.port)).toBe(false);
  });

  it('no on_conflict and no terminal: fails rather than asks', async () => {
    const sq = await startSquatter();
    const m = manifest({ web: { port: sq.port } });
    const asker: Asker = async () => {
      throw new Error('must not ask without a terminal');
    };
    const e = await failure(
      resolvePorts(m, ['web'], { dynamic: false, overrides: {}, interactive: false, ask: asker }),
    );
    expect(e.code).toBe('PORT_CONFLICT');
    expect(isAlive(sq.pid)).toBe(true);
  });

  it('kill: the squatter and its child are gone and the new owner can bind the port', async () => {
    const sq = await startSquatter();
    const events: SupervisorEvent[] = [];
    const m = manifest({ web: { port: sq.port, on_conflict: 'kill' } });
    const ports = await resolvePorts(m, ['web'], {
      dynamic: false,
      overrides: {},
      emit: (e) => events.push(e),
    });
    expect(ports.web?.primary).toBe(sq.port);
    expect(isAlive(sq.pid)).toBe(false);
    await waitFor(() => !isAlive(sq.childPid), { what: 'the squatter’s child to be gone' });
    const owner = await listenOn(sq.port);
    await owner.close();
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'port-freed', service: 'web', port: sq.port, pid: sq.pid }),
    );
  });

  it('--kill overrides on_conflict: fail', async () => {
    const sq = await startSquatter();
    const m = manifest({ web: { port: sq.port, on_conflict: 'fail' } });
    await resolvePorts(m, ['web'], { dynamic: false, overrides: {}, conflict: 'kill' });
    expect(isAlive(sq.pid)).toBe(false);
  });

  it('remap: the squatter is untouched and the service gets another port, reported', async () => {
    const sq = await startSquatter();
    const events: SupervisorEvent[] = [];
    const m = manifest({ web: { port: sq.port, on_conflict: 'remap' }, api: { port: 'auto' } });
    const ports = await resolvePorts(m, ['web', 'api'], {
      dynamic: false,
      overrides: {},
      emit: (e) => events.push(e),
    });
    const to = ports.web?.primary;
    expect(to).not.toBe(sq.port);
    expect(to).not.toBe(ports.api?.primary);
    expect(await canBind(to!)).toBe(true);
    expect(isAlive(sq.pid)).toBe(true);
    expect(events).toContainEqual({
      type: 'port-remapped',
      service: 'web',
      portName: 'primary',
      from: sq.port,
      to,
      reason: `port ${sq.port} is held by pid ${sq.pid}`,
    });
  });

  it('remap lands in port_range when one is given', async () => {
    const sq = await startSquatter();
    const spare = await freePort();
    // devlaunch's own choice skips reserved ports: this one is meant for it.
    releasePort(spare);
    const m = manifest({ web: { port: sq.port } }, { port_range: { from: spare, to: spare } });
    const ports = await resolvePorts(m, ['web'], {
      dynamic: false,
      overrides: {},
      conflict: 'remap',
    });
    expect(ports.web?.primary).toBe(spare);
    expect(isAlive(sq.pid)).toBe(true);
  });

  it('remap works for a named port, and --port overrides still apply', async () => {
    const sq = await startSquatter();
    const preferred = await freePort();
    const m = manifest({ web: { port: 'auto', ports: { debug: 1 } } });
    const ports = await resolvePorts(m, ['web'], {
      dynamic: false,
      overrides: { 'web.debug': sq.port, web: preferred },
      conflict: 'remap',
    });
    expect(ports.web?.primary).toBe(preferred);
    expect(ports.web?.named.debug).not.toBe(sq.port);
    expect(isAlive(sq.pid)).toBe(true);
  });

  describe('ask', () => {
    const ask =
      (answer: 'stop' | 'remap' | 'abort', seen: unknown[]): Asker =>
      async (q) => {
        seen.push(q);
        return answer;
      };

    it('shows the holder; "stop it" stops it and keeps the port', async () => {
      const sq = await startSquatter();
      const seen: { port: number; holders: { pid: number; command: string; user: string }[] }[] =
        [];
      const m = manifest({ web: { port: sq.port, on_conflict: 'ask' } });
      const ports = await resolvePorts(m, ['web'], {
        dynamic: false,
        overrides: {},
        interactive: true,
        ask: ask('stop', seen),
      });
      expect(ports.web?.primary).toBe(sq.port);
      expect(seen).toHaveLength(1);
      expect(seen[0]?.holders[0]).toMatchObject({ pid: sq.pid, user: 'root' });
      expect(seen[0]?.holders[0]?.command).toContain('squatter.mjs');
      expect(isAlive(sq.pid)).toBe(false);
    });

    it('"use another port" remaps and leaves the squatter', async () => {
      const sq = await startSquatter();
      const m = manifest({ web: { port: sq.port } });
      const ports = await resolvePorts(m, ['web'], {
        dynamic: false,
        overrides: {},
        interactive: true,
        ask: ask('remap', []),
      });
      expect(ports.web?.primary).not.toBe(sq.port);
      expect(isAlive(sq.pid)).toBe(true);
    });

    it('"abort" exits 3 and leaves the squatter', async () => {
      const sq = await startSquatter();
      const m = manifest({ web: { port: sq.port, on_conflict: 'ask' } });
      const e = await failure(
        resolvePorts(m, ['web'], {
          dynamic: false,
          overrides: {},
          interactive: true,
          ask: ask('abort', []),
        }),
      );
      expect(e.exitCode).toBe(3);
      expect(e.message).toContain(String(sq.pid));
      expect(isAlive(sq.pid)).toBe(true);
    });
  });
});
