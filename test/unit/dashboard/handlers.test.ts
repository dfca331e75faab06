/**
 * The dashboard's handlers over real HTTP against a fake session: what the page gets, and each
 * security rule refusing a plain request without revealing anything of the session.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHandler, type DashboardHandler } from '../../../src/dashboard/handlers.js';
import { FakeBackend } from './fake-backend.js';

const TOKEN = 'test-token-0123456789abcdefghijklmn';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

let server: Server;
let port: number;
let backend: FakeBackend;
let handler: DashboardHandler;

beforeEach(async () => {
  backend = new FakeBackend();
  server = createServer((req, res) => handler.handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  handler = createHandler({ token: TOKEN, port, backend });
});

afterEach(async () => {
  handler.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function call(
  path: string,
  opts: { method?: string; headers?: Record<string, string> } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: opts.method ?? 'GET',
        headers: { host: `127.0.0.1:${port}`, ...opts.headers },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const withToken = (path: string) => `${path}${path.includes('?') ? '&' : '?'}token=${TOKEN}`;
const header = { 'x-devlaunch-token': TOKEN };

/** A refusal names the rule and nothing of the session. */
function expectRefused(reply: Reply, status = 403): void {
  expect(reply.status).toBe(status);
  expect(reply.body).not.toMatch(/secret|api|web|4242|8000/);
  expect(reply.headers['access-control-allow-origin']).toBeUndefined();
}

describe('the page and its data, with the token', () => {
  it('serves the page with the token in its asset links and strict headers', async () => {
    const reply = await call(withToken('/'));
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toMatch(/text\/html/);
    expect(reply.body).toContain(`/app.js?token=${TOKEN}`);
    expect(reply.headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(reply.headers['referrer-policy']).toBe('no-referrer');
    expect(reply.headers['x-frame-options']).toBe('DENY');
    expect(reply.headers['access-control-allow-origin']).toBeUndefined();
    for (const asset of ['/app.js', '/app.css']) {
      expect((await call(withToken(asset))).status).toBe(200);
    }
  });

  it('answers the state as JSON, with the token in the query or the header', async () => {
    const byQuery = await call(withToken('/api/state'));
    expect(JSON.parse(byQuery.body).services.map((s: { name: string }) => s.name)).toEqual([
      'api',
      'web',
    ]);
    expect((await call('/api/state', { headers: header })).status).toBe(200);
  });

  it('accepts localhost:PORT as the Host too', async () => {
    const reply = await call(withToken('/api/state'), { headers: { host: `localhost:${port}` } });
    expect(reply.status).toBe(200);
  });

  it('runs an action POSTed with the token in the header', async () => {
    const reply = await call('/api/services/api/restart', { method: 'POST', headers: header });
    expect(reply.status).toBe(202);
    await new Promise((resolve) => setImmediate(resolve));
    expect(backend.actions).toEqual([['restart', 'api']]);
  });

  it('accepts a same-origin POST from the page (Origin and Sec-Fetch-Site as a browser sends)', async () => {
    const reply = await call('/api/services/web/stop', {
      method: 'POST',
      headers: { ...header, origin: `http://127.0.0.1:${port}`, 'sec-fetch-site': 'same-origin' },
    });
    expect(reply.status).toBe(202);
  });

  it('refuses an unknown service or action with 404, running nothing', async () => {
    const unknown = await call('/api/services/nope/stop', { method: 'POST', headers: header });
    expect(unknown.status).toBe(404);
    const action = await call('/api/services/api/explode', { method: 'POST', headers: header });
    expect(action.status).toBe(404);
    expect(backend.actions).toEqual([]);
  });

  it('reads log pages by byte offset, and refuses offsets that are not whole numbers', async () => {
    const reply = await call(withToken('/api/logs?service=api&before=120&limit=50'));
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body).lines).toEqual(['old line']);
    expect(backend.logReads).toEqual([{ service: 'api', at: { before: 120 }, limit: 50 }]);
    await call(withToken('/api/logs?service=api&after=7&limit=100000'));
    expect(backend.logReads[1]).toEqual({ service: 'api', at: { after: 7 }, limit: 2000 });
    for (const bad of ['before=-1', 'before=1.5', 'after=x', 'limit=0']) {
      expect((await call(withToken(`/api/logs?service=api&${bad}`))).status, bad).toBe(400);
    }
    expect((await call(withToken('/api/logs?service=../../etc/passwd'))).status).toBe(404);
  });
});

describe('security: each rule refuses a plain HTTP request', () => {
  it('refuses every path without the token', async () => {
    for (const path of ['/', '/app.js', '/api/state', '/api/events', '/api/logs?service=api']) {
      expectRefused(await call(path));
    }
  });

  it('refuses a wrong token, one of the same length, and a repeated one', async () => {
    expectRefused(await call('/api/state?token=nope'));
    const sameLength = TOKEN.replace(/.$/, (c) => (c === 'x' ? 'y' : 'x'));
    expectRefused(await call(`/api/state?token=${sameLength}`));
    expectRefused(await call(`/api/state?token=${TOKEN}&token=${TOKEN}`));
    expectRefused(await call('/api/state', { headers: { 'x-devlaunch-token': sameLength } }));
  });

  it('refuses a Host other than 127.0.0.1:PORT or localhost:PORT, token or not (DNS rebinding)', async () => {
    for (const host of [
      `evil.example:${port}`,
      'evil.example',
      `127.0.0.1:${port + 1}`,
      '127.0.0.1',
      `[::1]:${port}`,
      `0.0.0.0:${port}`,
    ]) {
      expectRefused(await call(withToken('/api/state'), { headers: { host } }));
    }
  });

  it('refuses a request with no Host at all', async () => {
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.end(`GET /api/state?token=${TOKEN} HTTP/1.0\r\n\r\n`);
      });
      let text = '';
      socket.on('data', (chunk) => {
        text += chunk.toString();
      });
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.[01] 403/);
    expect(raw).not.toContain('secret');
  });

  it('refuses an action whose token is only in the query, as a cross-site form would send it', async () => {
    expectRefused(await call(withToken('/api/services/api/stop'), { method: 'POST' }));
    expectRefused(await call('/api/services/api/stop', { method: 'POST' }));
    expect(backend.actions).toEqual([]);
  });

  it('refuses an action from another origin or another site, even with the token', async () => {
    expectRefused(
      await call('/api/services/api/stop', {
        method: 'POST',
        headers: { ...header, origin: 'http://evil.example' },
      }),
    );
    expectRefused(
      await call('/api/services/api/stop', {
        method: 'POST',
        headers: { ...header, origin: 'null' },
      }),
    );
    expectRefused(
      await call('/api/services/api/stop', {
        method: 'POST',
        headers: { ...header, 'sec-fetch-site': 'cross-site' },
      }),
    );
    expect(backend.actions).toEqual([]);
  });

  it('grants no CORS: a preflight and other methods are refused', async () => {
    const preflight = await call('/api/services/api/stop', {
      method: 'OPTIONS',
      headers: {
        origin: 'http://evil.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'x-devlaunch-token',
      },
    });
    expectRefused(preflight, 405);
    expect(preflight.headers['access-control-allow-headers']).toBeUndefined();
    for (const method of ['PUT', 'DELETE', 'PATCH']) {
      expectRefused(await call(withToken('/api/services/api/stop'), { method }), 405);
    }
    expect(backend.actions).toEqual([]);
  });
});
