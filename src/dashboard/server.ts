/**
 * The dashboard's HTTP server. This module is all a session loads up front: it binds
 * 127.0.0.1 (never another interface) and makes the token. The page, its handlers and the link
 * to the supervisor load on the first request, so an unopened dashboard costs a listening
 * socket and nothing else.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DashboardHandler } from './handlers.js';
import type { DashboardBackend, ServiceAction } from './types.js';

export interface DashboardOptions {
  /** 0: a port from the OS. */
  port: number;
  /** Makes the link to the session; called once, when the first request arrives. */
  backend: () => Promise<DashboardBackend>;
  onActionError?: (action: ServiceAction, service: string, error: unknown) => void;
}

export interface Dashboard {
  port: number;
  token: string;
  /** http://127.0.0.1:PORT/?token=TOKEN */
  url: string;
  /** Stops answering: open pages are disconnected, the port is released. */
  close(): Promise<void>;
}

export async function startDashboard(opts: DashboardOptions): Promise<Dashboard> {
  const token = randomBytes(24).toString('base64url');
  let handler: Promise<DashboardHandler> | null = null;
  let port = 0;
  const load = () => {
    handler ??= Promise.all([import('./handlers.js'), opts.backend()]).then(
      ([{ createHandler }, backend]) =>
        createHandler({ token, port, backend, onActionError: opts.onActionError }),
    );
    return handler;
  };
  const server = createServer((req, res) => {
    load().then(
      (h) => h.handle(req, res),
      () => {
        res.writeHead(500).end();
      },
    );
  });
  // Slow or idle clients must not hold the socket open forever.
  server.headersTimeout = 10_000;
  server.requestTimeout = 10_000;
  server.keepAliveTimeout = 5_000;
  await listen(server, opts.port);
  port = (server.address() as AddressInfo).port;
  // Nothing in the session waits on this server: it never keeps devlaunch alive by itself.
  server.unref();
  return {
    port,
    token,
    url: `http://127.0.0.1:${port}/?token=${token}`,
    close: async () => {
      if (handler !== null) (await handler.catch(() => null))?.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
