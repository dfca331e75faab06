import { describe, expect, it } from 'vitest';
import { formatIpv6, parseTcpTable } from '../../../src/ports/holders/parse-tcp-table.js';

function table4(rows: { state: number; addr: number[]; port: number; pid: number }[]): Buffer {
  const buf = Buffer.alloc(4 + 24 * rows.length);
  buf.writeUInt32LE(rows.length, 0);
  rows.forEach((r, i) => {
    const o = 4 + 24 * i;
    buf.writeUInt32LE(r.state, o);
    Buffer.from(r.addr).copy(buf, o + 4);
    buf.writeUInt16BE(r.port, o + 8); // network order in the low 16 bits
    buf.writeUInt32LE(r.pid, o + 20);
  });
  return buf;
}

describe('parseTcpTable (GetExtendedTcpTable, TCP_TABLE_OWNER_PID_LISTENER)', () => {
  it('reads IPv4 listeners with their owner pid; skips other states; pid 0 is unknown', () => {
    const buf = table4([
      { state: 2, addr: [0, 0, 0, 0], port: 8000, pid: 9124 },
      { state: 2, addr: [127, 0, 0, 1], port: 5432, pid: 5088 },
      { state: 5, addr: [127, 0, 0, 1], port: 50312, pid: 3310 },
      { state: 2, addr: [127, 0, 0, 1], port: 47111, pid: 0 },
    ]);
    expect(parseTcpTable(buf, 4)).toEqual([
      { port: 8000, address: '0.0.0.0', pid: 9124 },
      { port: 5432, address: '127.0.0.1', pid: 5088 },
      { port: 47111, address: '127.0.0.1', pid: null },
    ]);
  });

  it('reads IPv6 listeners (56-byte rows)', () => {
    const buf = Buffer.alloc(4 + 56 * 2);
    buf.writeUInt32LE(2, 0);
    // [::]:3000 pid 6064
    buf.writeUInt16BE(3000, 4 + 20);
    buf.writeUInt32LE(2, 4 + 48);
    buf.writeUInt32LE(6064, 4 + 52);
    // [::1]:8000 pid 7788
    buf.writeUInt8(1, 4 + 56 + 15);
    buf.writeUInt16BE(8000, 4 + 56 + 20);
    buf.writeUInt32LE(2, 4 + 56 + 48);
    buf.writeUInt32LE(7788, 4 + 56 + 52);
    expect(parseTcpTable(buf, 6)).toEqual([
      { port: 3000, address: '::', pid: 6064 },
      { port: 8000, address: '::1', pid: 7788 },
    ]);
  });

  it('stops at a truncated buffer instead of reading past it', () => {
    const buf = table4([{ state: 2, addr: [0, 0, 0, 0], port: 80, pid: 4 }]);
    buf.writeUInt32LE(5, 0);
    expect(parseTcpTable(buf, 4)).toEqual([{ port: 80, address: '0.0.0.0', pid: 4 }]);
    expect(parseTcpTable(Buffer.alloc(2), 4)).toEqual([]);
  });

  it('compresses IPv6 text as RFC 5952 asks', () => {
    const fe80 = Buffer.alloc(16);
    fe80.writeUInt16BE(0xfe80, 0);
    fe80.writeUInt16BE(0x1c2d, 8);
    expect(formatIpv6(fe80)).toBe('fe80::1c2d:0:0:0');
  });
});
