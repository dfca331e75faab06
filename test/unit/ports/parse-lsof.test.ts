import { describe, expect, it } from 'vitest';
import { parseLsofF, parseLsofTable } from '../../../src/ports/holders/parse-lsof.js';
import { recorded } from './fixture.js';

const linuxListeners = [
  { port: 46525, address: '127.0.0.1', pid: 5257, processName: 'node', user: 'root' },
  { port: 32929, address: '*', pid: 5257, processName: 'node', user: 'root' },
  { port: 37691, address: '*', pid: 5257, processName: 'node', user: 'root' },
  { port: 39727, address: '::1', pid: 5257, processName: 'node', user: 'root' },
  { port: 37701, address: '127.0.0.1', pid: 5257, processName: 'node', user: 'root' },
  { port: 38661, address: '127.0.0.1', pid: 5257, processName: 'node', user: 'root' },
  { port: 38661, address: '127.0.0.1', pid: 5286, processName: 'node', user: 'root' },
  { port: 42713, address: '127.0.0.1', pid: 5297, processName: 'node', user: 'nobody' },
];

describe('parseLsofF (field output)', () => {
  it('reads the recorded Linux `lsof -nP -iTCP -sTCP:LISTEN -FpcnL`', () => {
    expect(parseLsofF(recorded('linux/lsof-listen-F.txt'))).toEqual(linuxListeners);
  });

  it('reads the macOS field format', () => {
    expect(parseLsofF(recorded('macos/lsof-listen-F-documented.txt'))).toEqual([
      { port: 5000, address: '*', pid: 512, processName: 'ControlCenter', user: 'dana' },
      { port: 5000, address: '*', pid: 512, processName: 'ControlCenter', user: 'dana' },
      { port: 5432, address: '127.0.0.1', pid: 733, processName: 'postgres', user: 'dana' },
      { port: 5432, address: '::1', pid: 733, processName: 'postgres', user: 'dana' },
      { port: 3000, address: '::1', pid: 41872, processName: 'node', user: 'dana' },
    ]);
  });

  it('skips connections, non-LISTEN TCP states and names without a numeric port', () => {
    const text = [
      'p10',
      'cnode',
      'f3',
      'n127.0.0.1:5000->127.0.0.1:6000',
      'TST=ESTABLISHED',
      'f4',
      'n*:5001',
      'TST=CLOSE_WAIT',
      'f5',
      'n*:http',
      'f6',
      'n*:5002',
      'TST=LISTEN',
    ].join('\n');
    expect(parseLsofF(text)).toEqual([{ port: 5002, address: '*', pid: 10, processName: 'node' }]);
  });

  it('accepts CRLF and returns [] for empty output', () => {
    expect(parseLsofF('p1\r\ncx\r\nn*:80\r\n')).toEqual([
      { port: 80, address: '*', pid: 1, processName: 'x' },
    ]);
    expect(parseLsofF('')).toEqual([]);
  });
});

describe('parseLsofTable (human table)', () => {
  it('reads the recorded Linux table', () => {
    expect(parseLsofTable(recorded('linux/lsof-listen.txt'))).toEqual(linuxListeners);
  });

  it('reads the macOS table: 0x devices, `*:PORT`, `[::1]:PORT`, escaped names', () => {
    expect(parseLsofTable(recorded('macos/lsof-listen-documented.txt'))).toEqual([
      { port: 5000, address: '*', pid: 512, processName: 'ControlCe', user: 'dana' },
      { port: 5000, address: '*', pid: 512, processName: 'ControlCe', user: 'dana' },
      { port: 5432, address: '127.0.0.1', pid: 733, processName: 'postgres', user: 'dana' },
      { port: 5432, address: '::1', pid: 733, processName: 'postgres', user: 'dana' },
      { port: 3000, address: '::1', pid: 41872, processName: 'node', user: 'dana' },
      { port: 8000, address: '*', pid: 41901, processName: 'Python', user: 'dana' },
      { port: 9222, address: '127.0.0.1', pid: 3301, processName: 'Google ', user: 'dana' },
    ]);
  });

  it('skips rows whose port is a service name (lsof run without -P)', () => {
    expect(parseLsofTable(recorded('macos/lsof-i-5000-controlcenter.txt'))).toEqual([]);
  });

  it('skips warnings and UDP rows', () => {
    expect(parseLsofTable(recorded('linux/lsof-i-nP-ubuntu-issue.txt'))).toEqual([
      { port: 22, address: '*', pid: 540, processName: 'sshd', user: 'root' },
    ]);
  });

  it('skips established connections', () => {
    const text = 'node 5 me 20u IPv4 1 0t0 TCP 127.0.0.1:5000->127.0.0.1:6000 (ESTABLISHED)';
    expect(parseLsofTable(text)).toEqual([]);
  });
});
