import { existsSync, readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ephemeralRange } from '../../../src/ports/dynamic-range.js';
import {
  dynamicPort,
  firstFreePort,
  isPortFree,
  osPort,
  probePort,
} from '../../../src/ports/probe.js';
import { unreservedPort } from '../../helpers/ports.js';
import { cleanupTracked, startProgram } from '../../helpers/processes.js';
import { bundlePorts, startListener } from './helpers.js';

afterEach(cleanupTracked);

describe('probePort (real sockets)', () => {
  it.each(['127.0.0.1', '::', '0.0.0.0', '::1'])(
    'says in-use for a port held on %s only',
    async (host) => {
      const { port } = await startListener(host);
      const result = await probePort(port);
      expect(result).toMatchObject({ free: false, reason: 'in-use', code: 'EADDRINUSE' });
      expect(await isPortFree(port)).toBe(false);
    },
  );

  it('says free for a closed port', async () => {
    const port = await unreservedPort();
    expect(await probePort(port)).toEqual({ free: true });
    expect(await isPortFree(port)).toBe(true);
  });

  it('rejects numbers that are not ports', async () => {
    await expect(probePort(0)).rejects.toThrow(RangeError);
    await expect(probePort(65536)).rejects.toThrow(RangeError);
    await expect(probePort(80.5)).rejects.toThrow(RangeError);
  });
});

describe('firstFreePort (real sockets)', () => {
  it('skips busy candidates and returns the first free one, in order', async () => {
    const busy1 = await startListener('127.0.0.1');
    const busy2 = await startListener('::1');
    const free = await unreservedPort();
    expect(await firstFreePort([busy1.port, busy2.port, free])).toBe(free);
  });

  it('returns null when every candidate is busy: never a random port', async () => {
    const busy1 = await startListener('0.0.0.0');
    const busy2 = await startListener('::');
    expect(await firstFreePort([busy1.port, busy2.port])).toBeNull();
    expect(await firstFreePort([])).toBeNull();
  });

  it('skips excluded ports and ports inside reserved ranges', async () => {
    const [a, b, c] = [await unreservedPort(), await unreservedPort(), await unreservedPort()];
    expect(await firstFreePort([a, b, c], { exclude: [a], reserved: [{ from: b, to: b }] })).toBe(
      c,
    );
    expect(
      await firstFreePort([a, b], { exclude: [a], reserved: [{ from: b - 1, to: b + 1 }] }),
    ).toBeNull();
  });
});

describe('dynamicPort (real sockets)', () => {
  it('outside the ephemeral range, never excluded nor reserved, bindable, and held against others', async () => {
    const range = await ephemeralRange();
    const seen: number[] = [];
    // A reserved range the size of the whole pool above the ephemeral range (on Linux).
    const reserved = range.to < 65535 ? [{ from: range.to + 1, to: 65535 }] : [];
    for (let i = 0; i < 20; i++) {
      const port = await dynamicPort(seen, i % 2 === 0 ? reserved : []);
      expect(port < range.from || port > range.to, `${port}`).toBe(true);
      expect(seen).not.toContain(port);
      if (i % 2 === 0) expect(reserved.some((r) => port >= r.from && port <= r.to)).toBe(false);
      expect(await isPortFree(port)).toBe(true);
      // Reserved (probe.ts): this process's own next choice skips it.
      expect(await firstFreePort([port])).toBeNull();
      seen.push(port);
    }
  });
});

describe('osPort (real sockets)', () => {
  it('never returns an excluded port and always a bindable one', async () => {
    const seen: number[] = [];
    for (let i = 0; i < 20; i++) {
      const port = await osPort(seen);
      expect(seen).not.toContain(port);
      expect(await isPortFree(port)).toBe(true);
      seen.push(port);
    }
  });

  describe('across processes', () => {
    let bundle: Awaited<ReturnType<typeof bundlePorts>>;
    beforeAll(async () => {
      bundle = await bundlePorts();
    });
    afterAll(() => bundle.cleanup());

    it('two concurrent devlaunch processes get different ports (20 rounds)', async () => {
      // Each child stays alive after printing, like a devlaunch session whose services run.
      const code = `import(${JSON.stringify(bundle.probe)}).then(async (m) => console.log('PORT ' + (await m.osPort())));process.stdin.resume()`;
      for (let round = 0; round < 20; round++) {
        const [a, b] = await Promise.all([
          startProgram(process.execPath, ['-e', code], /PORT (\d+)/, { stdin: 'pipe' }),
          startProgram(process.execPath, ['-e', code], /PORT (\d+)/, { stdin: 'pipe' }),
        ]);
        expect(a.match[1]).not.toBe(b.match[1]);
        await cleanupTracked();
      }
      // 40 Node starts: the bound follows the work on a busy 2-core machine.
    }, 120_000);

    it('a port handed out by another devlaunch process stays reserved for a while', async () => {
      const code = `import(${JSON.stringify(bundle.probe)}).then(async (m) => console.log('PORT ' + (await m.osPort())));process.stdin.resume()`;
      const { match } = await startProgram(process.execPath, ['-e', code], /PORT (\d+)/, {
        stdin: 'pipe',
      });
      const port = Number(match[1]);
      // Nothing listens on it yet (TCP bindable), but this process must not hand it out too.
      expect(await isPortFree(port)).toBe(true);
      expect(await firstFreePort([port])).toBeNull();
    });

    const unprivilegedStart = existsSync('/proc/sys/net/ipv4/ip_unprivileged_port_start')
      ? Number(readFileSync('/proc/sys/net/ipv4/ip_unprivileged_port_start', 'utf8'))
      : 1024;
    const canDropToNobody = process.platform === 'linux' && process.getuid?.() === 0;

    it.skipIf(!canDropToNobody || unprivilegedStart < 2)(
      'says forbidden (EACCES) for a privileged port when run as `nobody`',
      async () => {
        let port = unprivilegedStart - 1;
        while (port > 0 && !(await isPortFree(port))) port--;
        expect(port).toBeGreaterThan(0);
        const code = `import(${JSON.stringify(bundle.probe)}).then(async (m) => console.log('RESULT ' + JSON.stringify(await m.probePort(${port}))))`;
        const { match } = await startProgram(
          'setpriv',
          ['--reuid=nobody', '--regid=nogroup', '--clear-groups', process.execPath, '-e', code],
          /RESULT (.*)$/,
        );
        expect(JSON.parse(match[1] ?? '')).toEqual({
          free: false,
          reason: 'forbidden',
          address: '0.0.0.0',
          code: 'EACCES',
        });
      },
    );
  });
});
