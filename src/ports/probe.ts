/**
 * Is a TCP port free, and which free ports to hand out. "Free" means bindable on every
 * address a dev server may use: macOS and BSD let a wildcard bind succeed beside a listener
 * on 127.0.0.1 or ::1 (SO_REUSEADDR), so each address is tried on its own, one at a time.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import getPort from 'get-port';
import { dynamicPools, ephemeralRange, type PortRange, pickFromPools } from './dynamic-range.js';

export type BindResult =
  | { free: true }
  | { free: false; reason: 'in-use' | 'forbidden'; address: string; code: string };

/** Probed in this order; `::` is dual-stack (Node's default), so it also meets IPv4 holders. */
const PROBE_ADDRESSES = ['0.0.0.0', '::', '127.0.0.1', '::1'] as const;
/** An IPv6 bind failing with these means the host has no IPv6, so nothing can hold it there. */
const NO_IPV6 = new Set(['EADDRNOTAVAIL', 'EAFNOSUPPORT']);
/**
 * How long a handed-out port stays reserved against other devlaunch processes (see
 * `reservePort`): long enough for a service to start and bind, short enough not to get in the
 * way of a service that also wants UDP on its own port.
 */
const RESERVATION_MS = 15_000;

export async function probePort(port: number): Promise<BindResult> {
  assertPort(port);
  for (const address of PROBE_ADDRESSES) {
    const code = await bindCode(port, address);
    if (code === null) continue;
    if (address.includes(':') && NO_IPV6.has(code)) continue;
    if (code === 'EADDRINUSE') return { free: false, reason: 'in-use', address, code };
    // EACCES: a privileged port (< 1024 without the capability), or on Windows a range
    // excluded by Hyper-V/WinNAT (WinError 10013 also surfaces as EACCES).
    if (code === 'EACCES' || code === 'EPERM') {
      return { free: false, reason: 'forbidden', address, code };
    }
    throw new Error(`Cannot probe port ${port} on ${address}: ${code}`);
  }
  return { free: true };
}

export async function isPortFree(port: number): Promise<boolean> {
  return (await probePort(port)).free;
}

/**
 * A port fresh from the OS, never one of `exclude`, bindable on every probe address, and
 * reserved for a short while against other devlaunch processes. What remains is the race any
 * probe has: a process that is not devlaunch may bind the port before the service does; the
 * service's own bind then fails with EADDRINUSE, and that failure is what gets reported.
 */
export async function osPort(exclude: Iterable<number> = []): Promise<number> {
  const excluded = new Set(exclude);
  for (let attempt = 0; attempt < 100; attempt++) {
    // get-port does not apply `exclude` to the port the OS picks, so check it here too.
    const port = await getPort({ exclude: excluded });
    if (!excluded.has(port) && (await isPortFree(port)) && (await reservePort(port))) return port;
    excluded.add(port);
  }
  throw new Error('The OS handed out no usable port in 100 attempts');
}

/**
 * A port for `port: auto`, `--dynamic` and anything else that may take any port: picked
 * outside the kernel's ephemeral range (dynamic-range.ts), so no outgoing connection or
 * `listen(0)` of any process can take it before the service binds it; bindable on every probe
 * address, never one of `exclude` nor inside `reserved` (Windows excluded ranges), and reserved
 * like osPort's. Only when no such port is found (the range covers everything, or the ports
 * outside it are all taken) does it fall back to the OS's choice.
 */
export async function dynamicPort(
  exclude: Iterable<number> = [],
  reserved: readonly PortRange[] = [],
): Promise<number> {
  const skip = new Set(exclude);
  const outside = (port: number) => !reserved.some((r) => port >= r.from && port <= r.to);
  const picked = await pickFromPools(
    dynamicPools(await ephemeralRange()),
    async (port) => outside(port) && (await isPortFree(port)) && (await reservePort(port)),
    { skip },
  );
  if (picked !== null) return picked;
  for (;;) {
    const port = await osPort(skip);
    if (outside(port)) return port;
    skip.add(port);
  }
}

/**
 * The first free port among `candidates`, in their order, or null when none is free: never a
 * random port (get-port silently falls back to one, so its answer is checked). Skips ports in
 * `exclude` and inside `reserved` ranges (Windows excluded port ranges), and ports handed out
 * in the last 15 to 30 seconds by this process (get-port's lock) or by another devlaunch.
 */
export async function firstFreePort(
  candidates: Iterable<number>,
  opts: { exclude?: Iterable<number>; reserved?: { from: number; to: number }[] } = {},
): Promise<number | null> {
  const excluded = new Set(opts.exclude ?? []);
  const reserved = opts.reserved ?? [];
  let remaining = [...new Set(candidates)].filter(
    (p) =>
      Number.isInteger(p) &&
      p >= 1 &&
      p <= 65535 &&
      !excluded.has(p) &&
      !reserved.some((r) => p >= r.from && p <= r.to),
  );
  while (remaining.length > 0) {
    const port = await getPort({ port: remaining });
    const index = remaining.indexOf(port);
    if (index < 0) return null;
    if ((await isPortFree(port)) && (await reservePort(port))) return port;
    remaining = remaining.slice(index + 1);
  }
  return null;
}

/** The error code of binding `address:port` exclusively, or null when the bind succeeded. */
function bindCode(port: number, address: string): Promise<string | null> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'UNKNOWN'));
    server.listen({ port, host: address, exclusive: true }, () =>
      server.close(() => resolve(null)),
    );
  });
}

/**
 * Reserves `port` across processes without writing anything: a UDP socket bound to the same
 * number on 127.0.0.1 for RESERVATION_MS. TCP services do not notice it; another devlaunch
 * trying to reserve the same number gets EADDRINUSE and moves on. The socket dies with the
 * process, so a crash leaves nothing behind. false when the port is already reserved.
 */
export function reservePort(port: number): Promise<boolean> {
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
      setTimeout(() => socket.close(), RESERVATION_MS).unref();
      resolve(true);
    });
  });
}

function assertPort(port: number): void {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new RangeError(`Port must be an integer from 1 to 65535, got ${port}`);
  }
}

/**
 * Waits (bounded) until `port` binds. After its holder has died Linux releases the socket a
 * moment later (the dead process's files are closed by deferred work), so "the process is
 * gone" does not yet mean "the port is free".
 */
export async function waitBindable(port: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if ((await probePort(port)).free) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Waits until every port binds, sharing one deadline. Returns the ports that still do not. */
export async function waitAllBindable(
  ports: Iterable<number>,
  timeoutMs: number,
): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  const held: number[] = [];
  for (const port of new Set(ports)) {
    if (!(await waitBindable(port, Math.max(0, deadline - Date.now())))) held.push(port);
  }
  return held;
}
