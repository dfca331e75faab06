import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReadyCheck } from '../../../src/manifest/types.js';
import { type ReadyContext, waitReady } from '../../../src/supervisor/readiness.js';
import { freePort } from '../../helpers/ports.js';

const closers: (() => void)[] = [];
afterEach(() => {
  while (closers.length > 0) closers.pop()?.();
});

function listen(
  server: Server | ReturnType<typeof createTcpServer>,
  host: string,
): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      closers.push(() => server.close());
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
}

function context(port: number | null, overrides: Partial<ReadyContext> = {}): ReadyContext {
  return {
    host: 'localhost',
    port,
    onLine: () => () => {},
    runCheck: async () => 1,
    exited: new Promise(() => {}),
    signal: new AbortController().signal,
    ...overrides,
  };
}

// A readiness timeout that only a hang reaches, on a loaded machine too.
const timing = { timeout: 20_000, interval: 50 };

describe('waitReady', () => {
  it('tcp: finds a server that listens on ::1 only, and one on 127.0.0.1 only', async () => {
    const v6 = await listen(createTcpServer(), '::1');
    const v4 = await listen(createTcpServer(), '127.0.0.1');
    await expect(waitReady({ tcp: true, ...timing }, context(v6))).resolves.toMatchObject({
      ok: true,
    });
    await expect(waitReady({ tcp: true, ...timing }, context(v4))).resolves.toMatchObject({
      ok: true,
    });
  });

  it('tcp: notices a server that starts listening later, within tens of milliseconds', async () => {
    // Not a port from listen(0): the probe's own connections take their local ports from the
    // ephemeral range, and one could take that number (even connect to itself) before `later`.
    const port = await freePort();
    const later = createTcpServer();
    setTimeout(() => later.listen(port, '127.0.0.1'), 150);
    closers.push(() => later.close());
    const outcome = await waitReady({ tcp: true, timeout: 5000, interval: 500 }, context(port));
    expect(outcome).toMatchObject({ ok: true });
  });

  it('http: waits for 2xx/3xx, not 503', async () => {
    let healthy = false;
    const server = createServer((req, res) => {
      res.statusCode = req.url === '/health' && healthy ? 204 : 503;
      res.end();
    });
    const port = await listen(server, '127.0.0.1');
    setTimeout(() => {
      healthy = true;
    }, 100);
    const check: ReadyCheck = { http: '/health', ...timing };
    const outcome = await waitReady(check, context(port));
    expect(outcome).toMatchObject({ ok: true });
    expect(healthy).toBe(true);
  });

  it('http: a full URL is used as given', async () => {
    const server = createServer((_req, res) => {
      res.statusCode = 302;
      res.end();
    });
    const port = await listen(server, '127.0.0.1');
    const outcome = await waitReady(
      { http: `http://127.0.0.1:${port}/x`, ...timing },
      context(null),
    );
    expect(outcome).toMatchObject({ ok: true });
  });

  it('log: matches partial lines too', async () => {
    let emit: ((text: string, partial: boolean) => void) | undefined;
    const ctx = context(null, {
      onLine: (listener) => {
        emit = listener;
        return () => {
          emit = undefined;
        };
      },
    });
    const waiting = waitReady({ log: 'ready on \\d+', ...timing }, ctx);
    emit?.('starting', false);
    emit?.('ready on 80', true);
    await expect(waiting).resolves.toMatchObject({ ok: true });
    expect(emit).toBeUndefined();
  });

  it('command: ready when the command exits 0', async () => {
    let calls = 0;
    const outcome = await waitReady(
      { command: 'check', ...timing },
      context(null, { runCheck: async () => (++calls >= 3 ? 0 : 1) }),
    );
    expect(outcome).toMatchObject({ ok: true });
    expect(calls).toBe(3);
  });

  it('fails at once when the service exits, not at its timeout', async () => {
    // A timeout far longer than the test's own: the test ends only if the exit ends the wait.
    const outcome = await waitReady(
      { tcp: true, timeout: 3_600_000, interval: 100 },
      context(1, { exited: Promise.resolve({ code: 3, signal: null }) }),
    );
    expect(outcome).toEqual({ ok: false, reason: 'exited', code: 3, signal: null });
  });

  it('times out', async () => {
    const outcome = await waitReady({ log: 'never', timeout: 100, interval: 20 }, context(null));
    expect(outcome).toMatchObject({ ok: false, reason: 'timeout' });
  });

  it('is aborted by a stop', async () => {
    const controller = new AbortController();
    const waiting = waitReady(
      { log: 'never', timeout: 10_000, interval: 20 },
      context(null, { signal: controller.signal }),
    );
    controller.abort();
    await expect(waiting).resolves.toEqual({ ok: false, reason: 'aborted' });
  });
});
