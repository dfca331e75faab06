// The shared test helpers are what every end-to-end test trusts: check they can tell apart
// what they claim to.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { dynamicPools } from '../../../src/ports/dynamic-range.js';
import { firstFreePort } from '../../../src/ports/probe.js';
import { runCli, startCli } from '../../helpers/cli.js';
import { canBind, freePort, listenOn } from '../../helpers/ports.js';
import {
  cleanupTracked,
  isAlive,
  survivors,
  track,
  trackMarker,
  waitFor,
} from '../../helpers/processes.js';

afterEach(cleanupTracked);

describe('test helpers', () => {
  it('ports: a held port cannot be bound, a released one can', async () => {
    const held = await listenOn();
    expect(await canBind(held.port)).toBe(false);
    await held.close();
    expect(await canBind(held.port)).toBe(true);
    const port = await freePort();
    expect(await canBind(port)).toBe(true);
  });

  // The range as the kernel says, read here independently of the code under test (Linux only).
  const RANGE_FILE = '/proc/sys/net/ipv4/ip_local_port_range';
  const [low, high] = existsSync(RANGE_FILE)
    ? readFileSync(RANGE_FILE, 'utf8').trim().split(/\s+/).map(Number)
    : [0, 0];
  const range = { from: low as number, to: high as number };
  // Skipped too where the range leaves no room outside it (then freePort takes the OS's choice).
  it.skipIf(!low || !high || dynamicPools(range).length === 0)(
    'ports: freePort picks outside the ephemeral range, distinct ports at once, reserved against devlaunch',
    async () => {
      // All at once, as parallel test files pick: the reservation keeps them apart.
      const ports = await Promise.all(Array.from({ length: 20 }, () => freePort()));
      for (const port of ports) {
        expect(port < range.from || port > range.to, `${port} in ${low}-${high}`).toBe(true);
        // devlaunch's own choice (a remap candidate, a dynamic port) skips a reserved port.
        expect(await firstFreePort([port])).toBeNull();
        expect(await canBind(port)).toBe(true);
      }
      expect(new Set(ports).size).toBe(ports.length);
    },
  );

  it('survivors finds live processes by environment marker, and cleanup kills them', async () => {
    const marker = `TEST_MARKER=${randomUUID()}`;
    const [k, v] = marker.split('=') as [string, string];
    const child = spawn('sh', ['-c', 'sleep 300 & sleep 300'], {
      env: { ...process.env, [k]: v },
      stdio: 'ignore',
    });
    track(child.pid);
    trackMarker(marker);
    await waitFor(() => survivors(marker).length === 3, { what: 'sh and its two sleeps' });
    const found = survivors(marker);
    await cleanupTracked();
    expect(found.filter(isAlive)).toEqual([]);
    expect(survivors(marker)).toEqual([]);
  });

  it('waitFor names what it waited for', async () => {
    await expect(waitFor(() => false, { timeoutMs: 50, what: 'the impossible' })).rejects.toThrow(
      /timed out after 50 ms waiting for the impossible/,
    );
  });

  it('runCli and startCli run the built CLI', async () => {
    const result = await runCli(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^\d+\.\d+\.\d+/);
    const cli = startCli(['--version']);
    await cli.stdout.waitFor(/^\d+\.\d+\.\d+/);
    expect((await cli.waitForExit()).code).toBe(0);
  });
});
