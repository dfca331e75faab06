/**
 * Decoder for what Windows' GetExtendedTcpTable(TCP_TABLE_OWNER_PID_LISTENER) returns: the
 * listening TCP sockets with the pid of their owner, straight from the TCP stack (what psutil
 * and `netstat -ano` themselves read), in any system language. Pure: the bytes come from
 * process/win/api.ts on Windows and from hand-built buffers in tests.
 *
 *     MIB_TCPTABLE_OWNER_PID   dwNumEntries, then 24-byte rows: dwState, dwLocalAddr,
 *                              dwLocalPort, dwRemoteAddr, dwRemotePort, dwOwningPid
 *     MIB_TCP6TABLE_OWNER_PID  dwNumEntries, then 56-byte rows: ucLocalAddr[16],
 *                              dwLocalScopeId, dwLocalPort, ucRemoteAddr[16],
 *                              dwRemoteScopeId, dwRemotePort, dwState, dwOwningPid
 *
 * Addresses are in network byte order; a port is the low 16 bits of its DWORD, big-endian.
 */
import type { Listener } from '../types.js';

/** MIB_TCP_STATE_LISTEN. */
export const TCP_STATE_LISTEN = 2;
const ROW4 = 24;
const ROW6 = 56;

const portAt = (buf: Buffer, offset: number) => buf.readUInt16BE(offset);

export function parseTcpTable(buf: Buffer, family: 4 | 6): Listener[] {
  if (buf.length < 4) return [];
  const count = buf.readUInt32LE(0);
  const size = family === 4 ? ROW4 : ROW6;
  const listeners: Listener[] = [];
  for (let i = 0; i < count; i++) {
    const row = 4 + i * size;
    if (row + size > buf.length) break;
    const state = buf.readUInt32LE(row + (family === 4 ? 0 : 48));
    if (state !== TCP_STATE_LISTEN) continue;
    // 0 is the Idle process, never a socket's owner: the owner is unknown (Wine 8 reports 0).
    const owner = buf.readUInt32LE(row + (family === 4 ? 20 : 52));
    const pid = owner === 0 ? null : owner;
    const address =
      family === 4
        ? [...buf.subarray(row + 4, row + 8)].join('.')
        : formatIpv6(buf.subarray(row, row + 16));
    listeners.push({ port: portAt(buf, row + (family === 4 ? 8 : 20)), address, pid });
  }
  return listeners;
}

/** RFC 5952 text of 16 address bytes (`::`, `::1`, `fe80::1`). */
export function formatIpv6(bytes: Buffer): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(bytes.readUInt16BE(i).toString(16));
  // The URL parser compresses and lower-cases exactly as RFC 5952 asks.
  return new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1);
}
