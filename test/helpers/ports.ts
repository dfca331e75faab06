/**
 * Port helpers for end-to-end tests. Ports are never fixed numbers, so tests run in parallel:
 * freePort() picks a free one outside the kernel's ephemeral range, as devlaunch picks its
 * dynamic ports (src/ports/dynamic-range.ts). Loopback only.
 */

import dgram from 'node:dgram';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { dynamicPools, ephemeralRange, pickFromPools } from '../../src/ports/dynamic-range.js';
import { isPortFree } from '../../src/ports/probe.js';

/**
 * How long a port from freePort() stays reserved for its test. The test files run in parallel
 * and each picks ports; between freePort() and the moment a service binds it, another test, or
 * a devlaunch under test choosing an `auto` or `--dynamic` port, may pick the same number.
 * devlaunch reserves the ports it hands out with a UDP socket on the same number on 127.0.0.1
 * (ports/probe.ts); freePort() does the same, so the two never collide.
 */
const RESERVED_MS = 120_000;
const reservations = new Map<number, dgram.Socket>();

/**
 * A port free a moment ago on every address a service may bind (devlaunch's own probe), and
 * reserved for this test. Picked outside the ephemeral range, where the OS takes the local port
 * of every outgoing connection and every `listen(0)`: a port from there could be taken by a
 * parallel test's connection (a client, a readiness probe) before the service binds it. Only
 * where the range leaves no room outside it does the OS choose.
 */
export async function freePort(): Promise<number> {
  const picked = await pickFromPools(
    dynamicPools(await ephemeralRange()),
    async (port) => (await isPortFree(port)) && (await reserve(port)),
  );
  if (picked !== null) return picked;
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = await osPort();
    if (await reserve(port)) return port;
  }
  throw new Error('no free port that was not reserved, outside the ephemeral range or from the OS');
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

/** The OS's choice (listen on 0): inside the ephemeral range, so only a last resort. */
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
      try {
        socket.close();
      } catch {
        // Already closed by the failed bind.
      }
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
