import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { processInfo, readEnviron } from '../../../src/process/index.js';
import { bundleTestProgram, ensureWatchdogBuilt } from '../../helpers/build.js';
import {
  cleanupTracked,
  isAlive,
  LineReader,
  survivors,
  track,
  trackMarker,
  waitFor,
} from '../../helpers/processes.js';
import { fixtures } from './util.js';

let fakeDevlaunch: string;

beforeAll(async () => {
  await ensureWatchdogBuilt();
  fakeDevlaunch = await bundleTestProgram(
    fileURLToPath(new URL('fake-devlaunch.ts', import.meta.url)),
  );
}, 60_000);

afterEach(cleanupTracked);

interface Fake {
  child: ChildProcess;
  session: string;
  out: LineReader;
  watchdog: number;
  services: number[];
}

/** Starts the fake devlaunch and waits until its three services are up. */
async function startFake(mode = 'kill'): Promise<Fake> {
  const session = `wd-${randomUUID()}`;
  trackMarker(session);
  const child = spawn(process.execPath, [fakeDevlaunch], {
    env: {
      ...process.env,
      SESSION: session,
      FIXTURES: fixtures,
      MODE: mode,
      // Set (empty when this machine has none) to show the watchdog does not get it.
      NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS ?? '',
    },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  track(child.pid);
  const out = new LineReader(child.stdout!);
  const [, watchdog] = await out.waitFor(/^WATCHDOG (\d+)$/, 10_000);
  track(Number(watchdog));
  await out.waitFor(/^ALL READY$/, 10_000);
  const services = out.lines.flatMap((l) => /^SERVICE \S+ (\d+)$/.exec(l)?.[1] ?? []).map(Number);
  expect(services).toHaveLength(3);
  const [, daemon] = await out.waitFor(/DAEMON (\d+)$/);
  track(Number(daemon));
  return { child, session, out, watchdog: Number(watchdog), services };
}

describe('watchdog', () => {
  it('runs in its own session, marked as the watchdog of the session', async () => {
    const fake = await startFake();
    const info = processInfo(fake.watchdog);
    expect(info?.pgid).toBe(fake.watchdog); // detached: the terminal's signals do not reach it
    expect(info?.ppid).toBe(fake.child.pid);
    expect(readEnviron(fake.watchdog)).toMatchObject({
      DEVLAUNCH_SESSION: fake.session,
      DEVLAUNCH_ROLE: 'watchdog',
    });
    // It makes no TLS connection: no certificates to parse into its memory.
    expect(readEnviron(fake.watchdog)).not.toHaveProperty('NODE_EXTRA_CA_CERTS');
  });

  it('stops every service tree when devlaunch is killed with SIGKILL, then exits', async () => {
    const fake = await startFake();
    // The session is more than the watchdog and the three spawned pids: grandchild, daemon.
    expect(survivors(fake.session).length).toBeGreaterThanOrEqual(6);
    // A broad SIGINT/SIGHUP (a closing terminal) must not make it leave services behind.
    process.kill(fake.watchdog, 'SIGINT');
    process.kill(fake.watchdog, 'SIGHUP');
    process.kill(fake.child.pid!, 'SIGKILL');
    // Eventually (a generous bound): on POSIX the watchdog becomes a Node process only now, and a
    // Node start on a loaded machine takes several times a quiet one's. Speed is not checked here.
    await waitFor(() => survivors(fake.session).length === 0, {
      timeoutMs: 15_000,
      what: `every process of the session to be gone (left: ${survivors(fake.session).join(', ')})`,
    });
    expect(isAlive(fake.watchdog)).toBe(false);
  });

  it('stops the services when it gets SIGTERM itself', async () => {
    const fake = await startFake();
    // As above: on POSIX SIGTERM is what makes the watchdog a Node process, one Node start.
    process.kill(fake.watchdog, 'SIGTERM');
    await waitFor(() => survivors(fake.session).filter((p) => p !== fake.child.pid).length === 0, {
      timeoutMs: 15_000,
      what: 'the session to be stopped after SIGTERM to the watchdog',
    });
    expect(isAlive(fake.child.pid!)).toBe(true); // the watchdog never touches devlaunch itself
  });

  it('dispose() makes it exit and leaves the services untouched', async () => {
    const fake = await startFake('dispose');
    fake.child.stdin!.write('dispose\n');
    await fake.out.waitFor(/^DISPOSED$/);
    expect(isAlive(fake.watchdog)).toBe(false);
    expect(fake.services.every(isAlive)).toBe(true);
    // With the watchdog gone, devlaunch dying hard no longer stops anything.
    process.kill(fake.child.pid!, 'SIGKILL');
    await waitFor(() => !isAlive(fake.child.pid!), { what: 'the fake devlaunch to die' });
    expect(fake.services.every(isAlive)).toBe(true);
  });
});
