/**
 * Single readiness probes: one attempt each, answering true or false, never throwing.
 * A dev server may bind 127.0.0.1 only, ::1 only, or both, depending on its framework and
 * Node version, so for `localhost` every probe tries both addresses.
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

export function tcpOpen(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: address, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(ATTEMPT_TIMEOUT_MS, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export async function tcpProbe(host: string, port: number): Promise<boolean> {
  const results = await Promise.all(probeAddresses(host).map((a) => tcpOpen(a, port)));
  return results.includes(true);
}

/** 2xx and 3xx count as ready, like docker compose's and wait-on's HTTP checks. */
export function httpOk(url: URL): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(
      url,
      {
        method: 'GET',
        agent: false,
        timeout: ATTEMPT_TIMEOUT_MS,
        headers: { connection: 'close' },
      },
      (res) => {
        res.resume();
        const status = res.statusCode ?? 0;
        resolve(status >= 200 && status < 400);
      },
    );
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve(false));
    req.end();
  });
}

/** `target` is a path (`/health`) on the service's own port, or a full URL used as given. */
export function httpTargets(target: string, host: string, port: number | null): URL[] {
  if (/^https?:\/\//i.test(target)) return [new URL(target)];
  const path = target.startsWith('/') ? target : `/${target}`;
  return probeAddresses(host).map((a) => new URL(path, serviceUrl(a, port ?? 80)));
}

export async function httpProbe(targets: URL[]): Promise<boolean> {
  const results = await Promise.all(targets.map((u) => httpOk(u)));
  return results.includes(true);
}
