/**
 * Parser for iproute2 `ss` listings (`ss -ltnpH`, `ss -tlnp` with its header, `ss -tunlp`
 * with a Netid column). `ss` is the fallback when /proc gives a socket but no pid.
 */
import type { Listener } from '../types.js';

/**
 * Splits `HOST:PORT` as the OS tools print it: `127.0.0.1:8000`, `[::1]:3000`, `*:8000`,
 * `[::ffff:127.0.0.1]:80`, `127.0.0.53%lo:53`, `[fe80::1%12]:5040`. Brackets and zone ids
 * (`%lo`, `%12`) are dropped. null when the port is not a number (e.g. lsof without -P
 * prints service names like `*:http`).
 */
export function splitHostPort(text: string): { address: string; port: number } | null {
  const colon = text.lastIndexOf(':');
  if (colon <= 0) return null;
  const portText = text.slice(colon + 1);
  if (!/^\d+$/.test(portText)) return null;
  const port = Number(portText);
  if (port > 65535) return null;
  let address = text.slice(0, colon);
  if (address.startsWith('[') && address.endsWith(']')) address = address.slice(1, -1);
  const zone = address.indexOf('%');
  if (zone > 0) address = address.slice(0, zone);
  return { address, port };
}

const USER_ENTRY = /\("((?:[^"\\]|\\.)*)",pid=(\d+),fd=\d+\)/g;

/**
 * Listening TCP sockets from `ss` output, one entry per process holding the socket (a socket
 * shared by a parent and its forked workers lists several), or one entry with `pid: null`
 * when ss could not see the owner (another user's socket without privileges).
 */
export function parseSs(text: string): Listener[] {
  const listeners: Listener[] = [];
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    // Leading non-numeric columns are Netid (`tcp`) and State (`LISTEN`); then come Recv-Q,
    // Send-Q, the local and the peer address, then the process column.
    const firstNumber = fields.findIndex((f) => /^\d+$/.test(f));
    if (firstNumber < 0 || firstNumber > 2) continue;
    const leading = fields.slice(0, firstNumber).map((f) => f.toLowerCase());
    if (leading.some((f) => f === 'udp' || f === 'raw' || f === 'u_str')) continue;
    const state = leading.find((f) => f !== 'tcp');
    if (state !== undefined && state !== 'listen') continue;
    const local = fields[firstNumber + 2];
    const parsed = local === undefined ? null : splitHostPort(local);
    if (!parsed) continue;
    const processColumn = fields.slice(firstNumber + 4).join(' ');
    const owners = [...processColumn.matchAll(USER_ENTRY)];
    if (owners.length === 0) {
      listeners.push({ port: parsed.port, address: parsed.address, pid: null });
      continue;
    }
    for (const owner of owners) {
      listeners.push({
        port: parsed.port,
        address: parsed.address,
        pid: Number(owner[2]),
        processName: (owner[1] ?? '').replace(/\\(.)/g, '$1'),
      });
    }
  }
  return listeners;
}
