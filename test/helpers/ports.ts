/**
 * Port helpers for end-to-end tests. Ports always come from the OS (listen on 0), never fixed
 * numbers, so tests run in parallel. Loopback only.
 */

import dgram from 'node:dgram';
import { existsSync } from 'node:fs';
import net from 'node:net';

/**
 * How long a port from freePort() stays reserved for its test. The test files run in parallel
 * and each takes ports from the OS; between freePort() and the moment a service binds it, the
 * OS may hand the same number to another test, or to a devlaunch under test choosing an `auto`
 * or `--dynamic` port. devlaunch reserves the ports it hands out with a UDP socket on the same
 * number on 127.0.0.1 (ports/probe.ts); freePort() does the same, so the two never collide.
 */
const RESERVED_MS = 120_000;
const reservations = new Map<number, dgram.Socket>();

/** A port that was free a moment ago on 127.0.0.1 (the OS picked it), reserved for this test. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = await osPort();
    if (await reserve(port)) return port;
  }
  throw new Error('the OS handed out no port that was not reserved, in 100 attempts');
}

/**
 * Ends the reservation of a port from freePort(): for a test that hands the port to
 * devlaunch's own port choice (a `port_range`, a remap candidate), which skips reserved ports.
 */
export function releasePort(port: number): void {
  reservations.get(port)?.close();
  reservations.delete(port);
}

/**
 * A port that was free a moment ago and is not reserved: for tests of devlaunch's own port
 * choice, which skips reserved ports.
 */
export async function unreservedPort(): Promise<number> {
  const port = await freePort();
  releasePort(port);
  return port;
}

function osPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function reserve(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket({ type: 'udp4', reuseAddr: false });
    socket.once('error', () => {
      socket.close();
      resolve(false);
    });
    socket.bind({ port, address: '127.0.0.1', exclusive: true }, () => {
      socket.unref();
      reservations.set(port, socket);
      setTimeout(() => releasePort(port), RESERVED_MS).unref();
      resolve(true);
    });
  });
}

/** Whether `port` can be bound on 127.0.0.1 right now. */
export function canBind(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

export interface Listening {
  port: number;
  server: net.Server;
  close(): Promise<void>;
}

/** Listens on `port` (default 0: any free one) on `host` (default 127.0.0.1), in this process. */
export function listenOn(port = 0, host = '127.0.0.1'): Promise<Listening> {
  return new Promise((resolve, reject) => {
    const sockets = new Set<net.Socket>();
    const server = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.end();
    });
    server.once('error', reject);
    server.listen({ port, host, exclusive: true }, () => {
      const actual = (server.address() as net.AddressInfo).port;
      resolve({
        port: actual,
        server,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

/** Bindable on 127.0.0.1 and, where the machine has IPv6, on ::1. */
export async function bindable(port: number): Promise<boolean> {
  if (!(await canBind(port, '127.0.0.1'))) return false;
  return !existsSync('/proc/net/if_inet6') || (await canBind(port, '::1'));
}

/** The ports of `ports` that cannot be bound right now. */
export async function busyPorts(ports: number[]): Promise<number[]> {
  const busy: number[] = [];
  for (const port of ports) if (!(await bindable(port))) busy.push(port);
  return busy;
}
