/**
 * The dashboard's routes. Loaded on the first request, so a session whose dashboard is never
 * opened never loads the page or these handlers. Every request passes `checkRequest` first.
 *
 *   GET  /                              the page (token in the query)
 *   GET  /app.js, /app.css              its script and style
 *   GET  /api/state                     the services, as JSON
 *   GET  /api/events                    Server-Sent Events: hello, snapshot, lines, stopping
 *   GET  /api/logs?service=S&before=B|after=A&limit=M   lines of S's log file around a byte
 *   POST /api/services/NAME/ACTION      restart, stop or start (token in the header)
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { EventHub, type StreamLimits } from './event-stream.js';
import { pageAssets } from './page-assets.js';
import { checkRequest } from './security.js';
import { type DashboardBackend, type ServiceAction, UnknownServiceError } from './types.js';

export interface HandlerOptions {
  token: string;
  port: number;
  backend: DashboardBackend;
  limits?: StreamLimits;
  /** Where failed actions are reported (the session's own messages). Default: nowhere. */
  onActionError?: (action: ServiceAction, service: string, error: unknown) => void;
}

export interface DashboardHandler {
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** Ends every open event stream. */
  close(): void;
}

const ACTIONS: readonly ServiceAction[] = ['restart', 'stop', 'start'];
const MAX_LOG_LINES = 2000;

/** Sent with every answer: nothing may frame, sniff, cache or refer the token onwards. */
const SECURITY_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
};

export function createHandler(opts: HandlerOptions): DashboardHandler {
  const { backend, token, port } = opts;
  const hub = new EventHub(backend, opts.limits);
  const assets = pageAssets(token);

  const send = (res: ServerResponse, status: number, type: string, body: string) => {
    res.writeHead(status, {
      ...SECURITY_HEADERS,
      'content-type': type,
      'content-length': Buffer.byteLength(body),
    });
    res.end(res.req.method === 'HEAD' ? undefined : body);
  };
  const text = (res: ServerResponse, status: number, body: string) =>
    send(res, status, 'text/plain; charset=utf-8', `${body}\n`);
  const json = (res: ServerResponse, status: number, value: unknown) =>
    send(res, status, 'application/json; charset=utf-8', JSON.stringify(value));

  const serviceNames = () => new Set(backend.snapshot().services.map((s) => s.name));

  const logs = async (res: ServerResponse, query: URLSearchParams) => {
    const service = query.get('service') ?? '';
    if (!serviceNames().has(service)) return text(res, 404, 'no such service');
    const at: { before?: number; after?: number } = {};
    for (const key of ['before', 'after'] as const) {
      const value = query.get(key);
      if (value !== null) at[key] = Number(value);
    }
    const limit = Number(query.get('limit') ?? 500);
    const whole = (n: number | undefined) => n === undefined || (Number.isSafeInteger(n) && n >= 0);
    if (!whole(at.before) || !whole(at.after) || !whole(limit) || limit === 0) {
      return text(res, 400, 'before, after and limit must be whole numbers');
    }
    json(res, 200, await backend.readLog(service, at, Math.min(limit, MAX_LOG_LINES)));
  };

  const act = (res: ServerResponse, service: string, action: string) => {
    if (!ACTIONS.includes(action as ServiceAction)) return text(res, 404, 'no such action');
    if (!serviceNames().has(service)) return text(res, 404, 'no such service');
    // Accepted at once: the page follows the outcome through the event stream.
    backend.act(action as ServiceAction, service).catch((error: unknown) => {
      if (!(error instanceof UnknownServiceError))
        opts.onActionError?.(action as ServiceAction, service, error);
    });
    json(res, 202, { accepted: action, service });
  };

  const route = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    if (req.method === 'POST') {
      const match = /^\/api\/services\/([^/]+)\/([a-z]+)$/.exec(path);
      if (match === null) return text(res, 404, 'not found');
      return act(res, decodeURIComponent(match[1] ?? ''), match[2] ?? '');
    }
    const asset = assets[path];
    if (asset !== undefined) return send(res, 200, asset.type, asset.body);
    switch (path) {
      case '/api/state':
        return json(res, 200, backend.snapshot());
      case '/api/events':
        return hub.open(res);
      case '/api/logs':
        return logs(res, url.searchParams);
      default:
        return text(res, 404, 'not found');
    }
  };

  return {
    handle(req, res) {
      const verdict = checkRequest(
        { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers },
        token,
        port,
      );
      if (!verdict.ok) {
        res.writeHead(verdict.status, { ...SECURITY_HEADERS, 'content-type': 'text/plain' });
        res.end(`refused: ${verdict.reason}\n`);
        req.resume();
        return;
      }
      req.resume(); // no route reads a body
      route(req, res).catch(() => {
        if (!res.headersSent) text(res, 500, 'internal error');
        else res.destroy();
      });
    },
    close: () => hub.close(),
  };
}
