import { describe, expect, it } from 'vitest';
import {
  decodeProcAddress,
  parseProcNetTcp,
  TCP_LISTEN,
} from '../../../src/ports/holders/parse-proc-net.js';
import { recorded } from './fixture.js';

describe('parseProcNetTcp on recorded /proc/net/tcp', () => {
  const sockets = parseProcNetTcp(recorded('linux/proc-net-tcp.txt'), 4);

  it('reads every row, skipping the header', () => {
    expect(sockets).toHaveLength(7);
  });

  it('decodes listeners: address, port, state, inode, uid', () => {
    expect(sockets.filter((s) => s.state === TCP_LISTEN)).toEqual([
      { localAddress: '0.0.0.0', port: 2024, state: '0A', inode: 1065, uid: 0 },
      { localAddress: '127.0.0.1', port: 38661, state: '0A', inode: 6839, uid: 0 },
      { localAddress: '0.0.0.0', port: 37691, state: '0A', inode: 6836, uid: 0 },
      { localAddress: '127.0.0.1', port: 46525, state: '0A', inode: 6834, uid: 0 },
      { localAddress: '127.0.0.1', port: 42713, state: '0A', inode: 5995, uid: 65534 },
    ]);
  });

  it('keeps established connections with their own state', () => {
    expect(sockets.filter((s) => s.state === '01').map((s) => [s.port, s.inode])).toEqual([
      [46525, 6861],
      [46132, 6860],
    ]);
  });
});

describe('parseProcNetTcp on recorded /proc/net/tcp6', () => {
  it('decodes ::, ::1 and IPv4-mapped addresses', () => {
    expect(parseProcNetTcp(recorded('linux/proc-net-tcp6.txt'), 6)).toEqual([
      { localAddress: '::ffff:127.0.0.1', port: 37701, state: '0A', inode: 6838, uid: 0 },
      { localAddress: '::', port: 32929, state: '0A', inode: 6835, uid: 0 },
      { localAddress: '::1', port: 39727, state: '0A', inode: 6837, uid: 0 },
    ]);
  });
});

describe('parseProcNetTcp edge cases', () => {
  it('returns [] for empty text and header only', () => {
    expect(parseProcNetTcp('', 4)).toEqual([]);
    expect(parseProcNetTcp('  sl  local_address rem_address   st tx_queue\n', 4)).toEqual([]);
  });

  it('skips malformed rows', () => {
    const text = '   0: ZZZZ:0050 00000000:0000 0A 0:0 00:0 0 0 0 1 1\n   1: 0100007F 0A\n';
    expect(parseProcNetTcp(text, 4)).toEqual([]);
  });

  it('accepts lower-case hex', () => {
    const text =
      '   0: 0100007f:1f90 00000000:0000 0a 00000000:00000000 00:00000000 00000000  1000 0 42 1\n';
    expect(parseProcNetTcp(text, 4)).toEqual([
      { localAddress: '127.0.0.1', port: 8080, state: '0A', inode: 42, uid: 1000 },
    ]);
  });
});

describe('decodeProcAddress', () => {
  it.each([
    ['0100007F', 4, '127.0.0.1'],
    ['00000000', 4, '0.0.0.0'],
    ['0500A8C0', 4, '192.168.0.5'],
    ['00000000000000000000000000000000', 6, '::'],
    ['00000000000000000000000001000000', 6, '::1'],
    ['0000000000000000FFFF00000100007F', 6, '::ffff:127.0.0.1'],
    ['000080FE00000000FF00FC00010000FE', 6, 'fe80::fc:ff:fe00:1'],
    ['B80D0120000000000000000001000000', 6, '2001:db8::1'],
  ] as const)('%s (IPv%i) is %s', (hex, family, expected) => {
    expect(decodeProcAddress(hex, family)).toBe(expected);
  });

  it('reads big-endian words when told', () => {
    expect(decodeProcAddress('7F000001', 4, false)).toBe('127.0.0.1');
    expect(decodeProcAddress('00000000000000000000000000000001', 6, false)).toBe('::1');
  });

  it('compresses only the longest run of zero groups, never a single zero', () => {
    expect(decodeProcAddress('B80D0120000000000100000000000000', 6)).toBe('2001:db8::1:0:0');
    expect(decodeProcAddress('B80D0120010000000100010001000100', 6)).toBe('2001:db8:0:1:1:1:1:1');
  });

  it('rejects wrong lengths and non-hex', () => {
    expect(decodeProcAddress('0100007', 4)).toBeNull();
    expect(decodeProcAddress('0100007G', 4)).toBeNull();
    expect(decodeProcAddress('0100007F', 6)).toBeNull();
  });
});
