import { describe, expect, it } from 'vitest';
import {
  decodeAccountingActive,
  decodeCommandLine,
  decodeJobPids,
  decodeProcessEntry,
  decodeSid,
  extendedLimitInfo,
  fileTimeToMs,
  JOB_OBJECT_LIMIT_BREAKAWAY_OK,
  JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE,
  JOB_OBJECT_LIMIT_SILENT_BREAKAWAY_OK,
  PROCESSENTRY32W_SIZE,
} from '../../../src/process/win/decode.js';

describe('Win32 structure decoding (64-bit layouts)', () => {
  it('reads pid, parent and exe name from a PROCESSENTRY32W', () => {
    const entry = Buffer.alloc(PROCESSENTRY32W_SIZE);
    entry.writeUInt32LE(PROCESSENTRY32W_SIZE, 0);
    entry.writeUInt32LE(4242, 8);
    entry.writeUInt32LE(17, 32);
    entry.write('node.exe\0garbage', 44, 'utf16le');
    expect(decodeProcessEntry(entry)).toEqual({ pid: 4242, ppid: 17, exe: 'node.exe' });
  });

  it('asks for kill-on-close and never for breakaway', () => {
    const info = extendedLimitInfo();
    expect(info.length).toBe(144);
    const flags = info.readUInt32LE(16);
    expect(flags & JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE).toBeTruthy();
    expect(flags & (JOB_OBJECT_LIMIT_BREAKAWAY_OK | JOB_OBJECT_LIMIT_SILENT_BREAKAWAY_OK)).toBe(0);
  });

  it('reads the active process count and the pid list of a job', () => {
    const acct = Buffer.alloc(48);
    acct.writeUInt32LE(3, 40);
    expect(decodeAccountingActive(acct)).toBe(3);
    const list = Buffer.alloc(8 + 8 * 4);
    list.writeUInt32LE(2, 0);
    list.writeUInt32LE(2, 4);
    list.writeBigUInt64LE(100n, 8);
    list.writeBigUInt64LE(204n, 16);
    expect(decodeJobPids(list)).toEqual([100, 204]);
  });

  it('reads a command line through the UNICODE_STRING pointer', () => {
    const text = '"C:\\Program Files\\nodejs\\node.exe" server.js';
    const header = Buffer.alloc(16);
    header.writeUInt16LE(text.length * 2, 0);
    header.writeBigUInt64LE(0x1000n, 8);
    const memory = Buffer.from(text, 'utf16le');
    expect(
      decodeCommandLine(header, (ptr, len) =>
        ptr === 0x1000n ? memory.subarray(0, len) : Buffer.alloc(0),
      ),
    ).toBe(text);
    expect(decodeCommandLine(Buffer.alloc(16), () => memory)).toBeNull();
  });

  it('formats SIDs: SYSTEM, a local user, and rejects junk', () => {
    const system = Buffer.from([1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0]);
    expect(decodeSid(system)).toBe('S-1-5-18');
    const user = Buffer.alloc(8 + 4 * 5);
    user.writeUInt8(1, 0);
    user.writeUInt8(5, 1);
    user.writeUInt8(5, 7);
    for (const [i, v] of [21, 3623811015, 3361044348, 30300820, 1001].entries()) {
      user.writeUInt32LE(v, 8 + 4 * i);
    }
    expect(decodeSid(user)).toBe('S-1-5-21-3623811015-3361044348-30300820-1001');
    expect(decodeSid(Buffer.from([7, 1, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0]))).toBeNull();
  });

  it('converts FILETIME to epoch milliseconds', () => {
    // 2024-01-01T00:00:00Z
    expect(new Date(fileTimeToMs('133485408000000000')).toISOString()).toBe(
      '2024-01-01T00:00:00.000Z',
    );
  });
});
