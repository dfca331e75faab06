/**
 * Who may talk to the dashboard. The server binds loopback only, but any local process and any
 * web page open in the user's browser can still reach 127.0.0.1, so every request must prove it
 * comes from the dashboard page itself:
 *
 * - the random token of the session's URL, on every request (query `token` or the header);
 * - a `Host` of exactly 127.0.0.1:PORT or localhost:PORT, so a DNS-rebound name
 *   (evil.example resolving to 127.0.0.1) is refused even with a token;
 * - actions are POSTs carrying the token in the `X-Devlaunch-Token` header: a cross-site form
 *   cannot set a header, and a cross-site fetch with one needs a CORS preflight, never granted;
 * - a POST whose `Origin` (or `Sec-Fetch-Site`) says another site is refused as well.
 *
 * Refusals say only what rule failed; they reveal no data of the session.
 */
import { timingSafeEqual } from 'node:crypto';

export const TOKEN_HEADER = 'x-devlaunch-token';

export interface RequestFacts {
  method: string;
  /** Path and query as sent. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
}

export type Verdict = { ok: true } | { ok: false; status: number; reason: string };

/** The hosts a request may name: the numeric loopback address and `localhost`, on our port. */
export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

export function sameToken(given: string | undefined, token: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function header(facts: RequestFacts, name: string): string | undefined {
  const value = facts.headers[name];
  return Array.isArray(value) ? undefined : value; // a repeated header is never trusted
}

export function checkRequest(facts: RequestFacts, token: string, port: number): Verdict {
  const host = header(facts, 'host')?.toLowerCase();
  if (host === undefined || !allowedHosts(port).includes(host)) {
    return { ok: false, status: 403, reason: 'unexpected Host' };
  }
  const fromHeader = header(facts, TOKEN_HEADER);
  if (facts.method === 'POST') {
    if (!sameToken(fromHeader, token)) return { ok: false, status: 403, reason: 'missing token' };
    const origin = header(facts, 'origin');
    if (origin !== undefined && !allowedHosts(port).some((h) => origin === `http://${h}`)) {
      return { ok: false, status: 403, reason: 'cross-origin request' };
    }
    const site = header(facts, 'sec-fetch-site');
    if (site !== undefined && site !== 'same-origin' && site !== 'none') {
      return { ok: false, status: 403, reason: 'cross-site request' };
    }
    return { ok: true };
  }
  if (facts.method !== 'GET' && facts.method !== 'HEAD') {
    // OPTIONS (a CORS preflight) included: no CORS is ever granted.
    return { ok: false, status: 405, reason: 'method not allowed' };
  }
  const fromQuery = queryToken(facts.url);
  if (!sameToken(fromHeader, token) && !sameToken(fromQuery, token)) {
    return { ok: false, status: 403, reason: 'missing token' };
  }
  return { ok: true };
}

function queryToken(url: string): string | undefined {
  const at = url.indexOf('?');
  if (at === -1) return undefined;
  const values = new URLSearchParams(url.slice(at + 1)).getAll('token');
  return values.length === 1 ? values[0] : undefined;
}
