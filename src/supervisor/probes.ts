/**
 * Single readiness probes: one attempt each, never throwing, saying what they saw
 * (`GET /health → 500`, `tcp :8000 → ECONNREFUSED`) so a slow or failing service explains
 * itself. A dev server may bind 127.0.0.1 only, ::1 only, or both, depending on its framework
 * and Node version, so for `localhost` a prober tries both addresses — until one answers: from
 * then on it asks only that one, so an app's access log does not get every probe twice.
 */

import { request } from 'node:http';
import { connect } from 'node:net';
import { serviceUrl } from '../env/names.js';

/** The addresses a host name stands for in probes. */
export function probeAddresses(host: string): string[] {
  if (host === 'localhost' || host === '0.0.0.0' || host === '::' || host === '') {
    return ['127.0.0.1', '::1'];
  }
  return [host];
}

/** Attempts per probe are short: a dev server on loopback answers in microseconds. */
const ATTEMPT_TIMEOUT_MS = 1000;

export interface ProbeResult {
  ok: boolean;
  /** What was seen, for progress and failure messages: `GET /health → 500`. */
  detail: string;
}

/** One TCP connect: null when it connected, else why not (`ECONNREFUSED`, `timeout`). */
export function tcpAttempt(
  address: string,
  port: number,
  timeoutMs = ATTEMPT_TIMEOUT_MS,
): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = connect({ host: address, port });
    const done = (error: string | null) => {
      socket.destroy();
      resolve(error);
    };
    socket.setTimeout(timeoutMs, () => done('timeout'));
    socket.once('connect', () => done(null));
    socket.once('error', (e: NodeJS.ErrnoException) => done(e.code ?? e.message));
  });
}

export interface HttpAttempt {
  /** The response status; null when there was no response. */
  status: number | null;
  /** Why there was no response (`ECONNREFUSED`, `timeout`). */
  error: string | null;
}

/** One GET. 2xx and 3xx count as ready, like docker compose's and wait-on's HTTP checks. */
export function httpAttempt(url: URL, timeoutMs = ATTEMPT_TIMEOUT_MS): Promise<HttpAttempt> {
  return new Promise((resolve) => {
    const req = request(
      url,
      { method: 'GET', agent: false, timeout: timeoutMs, headers: { connection: 'close' } },
      (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, error: null });
      },
    );
    req.once('timeout', () => {
      req.destroy();
      resolve({ status: null, error: 'timeout' });
    });
    req.once('error', (e: NodeJS.ErrnoException) =>
      resolve({ status: null, error: e.code ?? e.message }),
    );
    req.end();
  });
}

export const httpOk = (status: number | null): boolean =>
  status !== null && status >= 200 && status < 400;

/** `target` is a path (`/health`) on the service's own port, or a full URL used as given. */
export function httpTargets(target: string, host: string, port: number | null): URL[] {
  if (/^https?:\/\//i.test(target)) return [new URL(target)];
  const path = target.startsWith('/') ? target : `/${target}`;
  return probeAddresses(host).map((a) => new URL(path, serviceUrl(a, port ?? 80)));
}

export type Prober = (timeoutMs?: number) => Promise<ProbeResult>;

/** Probes `targets` in parallel until one of them answers at all; then only that one. */
export function httpProber(targets: URL[]): Prober {
  let pinned: URL | null = null;
  return async (timeoutMs) => {
    const asked = pinned ? [pinned] : targets;
    const results = await Promise.all(asked.map((u) => httpAttempt(u, timeoutMs)));
    const answered = results.findIndex((r) => r.status !== null);
    if (answered !== -1) pinned ??= asked[answered] ?? null;
    const okAt = results.findIndex((r) => httpOk(r.status));
    const shown = okAt !== -1 ? okAt : answered !== -1 ? answered : 0;
    const url = asked[shown] as URL;
    const result = results[shown] as HttpAttempt;
    return {
      ok: okAt !== -1,
      detail: `GET ${url.pathname}${url.search} → ${result.status ?? result.error}`,
    };
  };
}

/** Connects to `port` on every address `host` means until one accepts; then only that one. */
export function tcpProber(host: string, port: number): Prober {
  let pinned: string | null = null;
  return async (timeoutMs) => {
    const asked = pinned ? [pinned] : probeAddresses(host);
    const errors = await Promise.all(asked.map((a) => tcpAttempt(a, port, timeoutMs)));
    const connected = errors.indexOf(null);
    if (connected !== -1) {
      pinned ??= asked[connected] ?? null;
      return { ok: true, detail: `tcp :${port} → connected` };
    }
    return { ok: false, detail: `tcp :${port} → ${errors[0]}` };
  };
}
