/**
 * Who listens on a port, from Linux /proc alone (no lsof, no ss needed): the socket tables
 * give each listening socket's inode; a single scan of every /proc/PID/fd finds the processes
 * holding those inodes (`socket:[INODE]` symlinks). Another user's fds cannot be read without
 * privileges, so such sockets come back with `pid: null` and the caller falls back to a tool.
 */
import { promises as fs } from 'node:fs';
import type { Listener } from '../types.js';
import { parseProcNetTcp, TCP_LISTEN } from './parse-proc-net.js';

export interface ProcListeners {
  listeners: Listener[];
  /** false when the socket tables could not be read at all (no /proc, or not Linux). */
  tablesRead: boolean;
}

/** Listening TCP sockets on `ports`, each with the pid(s) holding it or `pid: null`. */
export async function listenersFromProc(
  ports: number[],
  procRoot = '/proc',
): Promise<ProcListeners> {
  const wanted = new Set(ports);
  const [tcp4, tcp6] = await Promise.all([
    fs.readFile(`${procRoot}/net/tcp`, 'utf8').catch(() => null),
    fs.readFile(`${procRoot}/net/tcp6`, 'utf8').catch(() => null),
  ]);
  if (tcp4 === null && tcp6 === null) return { listeners: [], tablesRead: false };
  const sockets = [
    ...(tcp4 === null ? [] : parseProcNetTcp(tcp4, 4)),
    ...(tcp6 === null ? [] : parseProcNetTcp(tcp6, 6)),
  ].filter((s) => s.state === TCP_LISTEN && wanted.has(s.port));
  if (sockets.length === 0) return { listeners: [], tablesRead: true };

  const owners = await socketOwners(new Set(sockets.map((s) => s.inode)), procRoot);
  const listeners: Listener[] = [];
  for (const socket of sockets) {
    const holders = owners.get(socket.inode) ?? [];
    if (holders.length === 0) {
      listeners.push({ port: socket.port, address: socket.localAddress, pid: null });
    }
    for (const holder of holders) {
      const listener: Listener = {
        port: socket.port,
        address: socket.localAddress,
        pid: holder.pid,
      };
      if (holder.name !== undefined) listener.processName = holder.name;
      listeners.push(listener);
    }
  }
  return { listeners, tablesRead: true };
}

/**
 * Maps socket inodes to the processes holding them, in one pass over /proc/PID/fd. A socket
 * can be held by several processes (a server's forked workers, a child that inherited it).
 */
export async function socketOwners(
  inodes: Set<number>,
  procRoot = '/proc',
): Promise<Map<number, { pid: number; name?: string }[]>> {
  const owners = new Map<number, { pid: number; name?: string }[]>();
  const entries = await fs.readdir(procRoot).catch(() => [] as string[]);
  const pids = entries.filter((e) => /^\d+$/.test(e)).map(Number);
  await Promise.all(
    pids.map(async (pid) => {
      // Processes exit and fds close while we look: every failure here just means "not this one".
      const fds = await fs.readdir(`${procRoot}/${pid}/fd`).catch(() => [] as string[]);
      const found = new Set<number>();
      await Promise.all(
        fds.map(async (fd) => {
          const target = await fs.readlink(`${procRoot}/${pid}/fd/${fd}`).catch(() => '');
          const match = /^socket:\[(\d+)\]$/.exec(target);
          if (match && inodes.has(Number(match[1]))) found.add(Number(match[1]));
        }),
      );
      if (found.size === 0) return;
      const comm = await fs.readFile(`${procRoot}/${pid}/comm`, 'utf8').catch(() => null);
      for (const inode of found) {
        const holder: { pid: number; name?: string } = { pid };
        if (comm !== null) holder.name = comm.trim();
        owners.set(inode, [...(owners.get(inode) ?? []), holder]);
      }
    }),
  );
  for (const list of owners.values()) list.sort((a, b) => a.pid - b.pid);
  return owners;
}

/** Every listening TCP socket, inode → port; null when the socket tables could not be read. */
export async function listeningSockets(procRoot = '/proc'): Promise<Map<number, number> | null> {
  const [tcp4, tcp6] = await Promise.all([
    fs.readFile(`${procRoot}/net/tcp`, 'utf8').catch(() => null),
    fs.readFile(`${procRoot}/net/tcp6`, 'utf8').catch(() => null),
  ]);
  if (tcp4 === null && tcp6 === null) return null;
  const listening = new Map<number, number>();
  for (const s of [
    ...(tcp4 === null ? [] : parseProcNetTcp(tcp4, 4)),
    ...(tcp6 === null ? [] : parseProcNetTcp(tcp6, 6)),
  ]) {
    if (s.state === TCP_LISTEN) listening.set(s.inode, s.port);
  }
  return listening;
}

/**
 * The TCP ports the given processes listen on, from /proc alone: only their own fds are read.
 * null when the socket tables could not be read. `sockets`: the tables as read by
 * listeningSockets(), when the caller shares one reading among several lookups.
 */
export async function portsOfPids(
  pids: number[],
  procRoot = '/proc',
  sockets: Promise<Map<number, number> | null> = listeningSockets(procRoot),
): Promise<number[] | null> {
  const listening = await sockets;
  if (listening === null) return null;
  const ports = new Set<number>();
  await Promise.all(
    pids.map(async (pid) => {
      const fds = await fs.readdir(`${procRoot}/${pid}/fd`).catch(() => [] as string[]);
      await Promise.all(
        fds.map(async (fd) => {
          const target = await fs.readlink(`${procRoot}/${pid}/fd/${fd}`).catch(() => '');
          const port = listening.get(Number(/^socket:\[(\d+)\]$/.exec(target)?.[1]));
          if (port !== undefined) ports.add(port);
        }),
      );
    }),
  );
  return [...ports].sort((a, b) => a - b);
}
