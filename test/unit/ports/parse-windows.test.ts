import { describe, expect, it } from 'vitest';
import { parseExcludedPortRanges } from '../../../src/ports/holders/parse-netsh.js';
import { parseNetstatAno } from '../../../src/ports/holders/parse-netstat.js';
import { parseTasklistCsv } from '../../../src/ports/holders/parse-tasklist.js';
import { recorded } from './fixture.js';

describe('parseNetstatAno', () => {
  it('reads listening rows of the filtered outputs from issue reports', () => {
    expect(parseNetstatAno(recorded('windows/netstat-ano-find-listening.txt'))).toEqual([
      { port: 80, address: '0.0.0.0', pid: 64200 },
      { port: 443, address: '0.0.0.0', pid: 64200 },
      { port: 8080, address: '192.168.0.5', pid: 18364 },
    ]);
    // Port 8042 matched a textual ":80" search; parsed ports are exact.
    const listeners = parseNetstatAno(recorded('windows/netstat-aon-find-80.txt'));
    expect(listeners.filter((l) => l.port === 80)).toEqual([
      { port: 80, address: '127.0.0.2', pid: 3040 },
    ]);
  });

  it('reads a full listing: IPv6 in brackets, zone ids, skips UDP, connections, TIME_WAIT', () => {
    expect(parseNetstatAno(recorded('windows/netstat-ano-documented.txt'))).toEqual([
      { port: 135, address: '0.0.0.0', pid: 1032 },
      { port: 445, address: '0.0.0.0', pid: 4 },
      { port: 3000, address: '0.0.0.0', pid: 14820 },
      { port: 5432, address: '127.0.0.1', pid: 5120 },
      { port: 135, address: '::', pid: 1032 },
      { port: 445, address: '::', pid: 4 },
      { port: 8000, address: '::1', pid: 9312 },
      { port: 5040, address: 'fe80::1c2d:3e4f:5a6b:7c8d', pid: 6672 },
    ]);
  });

  it('recognises listeners under localised state names by their unspecified peer', () => {
    expect(parseNetstatAno(recorded('windows/netstat-ano-de-documented.txt'))).toEqual([
      { port: 135, address: '0.0.0.0', pid: 1032 },
      { port: 8000, address: '127.0.0.1', pid: 7788 },
      { port: 3000, address: '::', pid: 6064 },
    ]);
    // The same with the state bytes garbled by a code page mismatch.
    const garbled = '  TCP    127.0.0.1:8000   0.0.0.0:0   ABH\uFFFDREN   7788\r\n';
    expect(parseNetstatAno(garbled)).toEqual([{ port: 8000, address: '127.0.0.1', pid: 7788 }]);
  });

  it('reads a localised state of two words (Italian `IN ASCOLTO`): the PID is the last column', () => {
    expect(parseNetstatAno(recorded('windows/netstat-ano-it.txt'))).toEqual([
      { port: 135, address: '0.0.0.0', pid: 1044 },
      { port: 8000, address: '0.0.0.0', pid: 9124 },
      { port: 135, address: '::', pid: 1044 },
      { port: 5432, address: '::1', pid: 5088 },
    ]);
    // A two-word state of a connection is skipped like any other connection.
    const closing = '  TCP    10.0.0.2:50340   140.82.112.25:443   IN CHIUSURA   3310\r\n';
    expect(parseNetstatAno(closing)).toEqual([]);
  });

  it('finds no listener in the localised Chinese sample (only TIME_WAIT rows)', () => {
    expect(parseNetstatAno(recorded('windows/netstat-ano-zh.txt'))).toEqual([]);
  });

  it('ignores `netstat -an` rows without a PID column and empty output', () => {
    expect(parseNetstatAno('  TCP    0.0.0.0:135   0.0.0.0:0   LISTENING\r\n')).toEqual([]);
    expect(parseNetstatAno('')).toEqual([]);
  });
});

describe('parseTasklistCsv', () => {
  it('reads names and pids, with commas inside quoted fields', () => {
    expect(parseTasklistCsv(recorded('windows/tasklist-csv-documented.txt'))).toEqual([
      { name: 'System Idle Process', pid: 0 },
      { name: 'System', pid: 4 },
      { name: 'svchost.exe', pid: 1032 },
      { name: 'node.exe', pid: 14820 },
      { name: 'python.exe', pid: 9312 },
      { name: 'My App, Inc.exe', pid: 7788 },
    ]);
  });

  it('skips a header row, "INFO:" lines and blank lines; unescapes doubled quotes', () => {
    const text = [
      '"Image Name","PID","Session Name","Session#","Mem Usage"',
      'INFO: No tasks are running which match the specified criteria.',
      '',
      '"say ""hi"".exe","42","Console","1","1,000 K"',
    ].join('\r\n');
    expect(parseTasklistCsv(text)).toEqual([{ name: 'say "hi".exe', pid: 42 }]);
  });
});

describe('parseExcludedPortRanges', () => {
  it('reads a runner output with an administered (*) exclusion', () => {
    expect(
      parseExcludedPortRanges(recorded('windows/netsh-excludedportrange-administered.txt')),
    ).toEqual([
      { from: 80, to: 80 },
      { from: 5986, to: 5986 },
      { from: 47001, to: 47001 },
      { from: 55679, to: 55679 },
    ]);
  });

  it('reads Hyper-V/WinNAT blocks', () => {
    const ranges = parseExcludedPortRanges(recorded('windows/netsh-excludedportrange-hyperv.txt'));
    expect(ranges).toHaveLength(25);
    expect(ranges[0]).toEqual({ from: 1462, to: 1462 });
    expect(ranges).toContainEqual({ from: 50000, to: 50059 });
    expect(ranges.at(-1)).toEqual({ from: 54288, to: 54288 });
  });

  it('reads a localised (Spanish) table', () => {
    const ranges = parseExcludedPortRanges(recorded('windows/netsh-excludedportrange-es.txt'));
    expect(ranges).toHaveLength(24);
    expect(ranges).toContainEqual({ from: 25313, to: 25412 });
  });

  it('returns [] when nothing is excluded and rejects impossible ranges', () => {
    expect(parseExcludedPortRanges('Protocol tcp Port Exclusion Ranges\r\n\r\n')).toEqual([]);
    expect(parseExcludedPortRanges('  70000  70001\r\n  500  400\r\n  0  10\r\n')).toEqual([]);
  });
});
