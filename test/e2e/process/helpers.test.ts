// The shared test helpers are what every end-to-end test trusts: check they can tell apart
// what they claim to.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
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
