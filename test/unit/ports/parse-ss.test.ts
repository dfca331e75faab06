import { describe, expect, it } from 'vitest';
import { parseSs, splitHostPort } from '../../../src/ports/holders/parse-ss.js';
import { recorded } from './fixture.js';

// pids and ports of the recording run: test/fixtures/recorded/linux/pids.json
const recordedListeners = [
  { port: 2024, address: '0.0.0.0', pid: null },
  { port: 38661, address: '127.0.0.1', pid: 5286, processName: 'node' },
  { port: 38661, address: '127.0.0.1', pid: 5257, processName: 'node' },
  { port: 37691, address: '0.0.0.0', pid: 5257, processName: 'node' },
  { port: 46525, address: '127.0.0.1', pid: 5257, processName: 'node' },
  { port: 42713, address: '127.0.0.1', pid: 5297, processName: 'node' },
  { port: 37701, address: '::ffff:127.0.0.1', pid: 5257, processName: 'node' },
  { port: 32929, address: '*', pid: 5257, processName: 'node' },
  { port: 39727, address: '::1', pid: 5257, processName: 'node' },
];

describe('parseSs on recorded output', () => {
  it('reads `ss -ltnpH`: one entry per holding process, pid null when unknown', () => {
    expect(parseSs(recorded('linux/ss-ltnpH.txt'))).toEqual(recordedListeners);
  });

  it('reads `ss -tlnp` with its header line', () => {
    expect(parseSs(recorded('linux/ss-tlnp.txt'))).toEqual(recordedListeners);
  });

  it('reads `ss -tunlp` (Netid column) and skips UDP sockets', () => {
    const listeners = parseSs(recorded('linux/ss-tunlp.txt'));
    expect(listeners).toEqual(recordedListeners);
  });
});

describe('parseSs edge cases', () => {
  it('skips non-LISTEN states', () => {
    const text = 'ESTAB 0 0 127.0.0.1:46525 127.0.0.1:46132 users:(("node",pid=1,fd=3))\n';
    expect(parseSs(text)).toEqual([]);
  });

  it('strips interface zones and reads older ss without a state column', () => {
    const text = [
      'LISTEN 0 4096 127.0.0.53%lo:53 0.0.0.0:* users:(("systemd-resolve",pid=600,fd=14))',
      '0 128 *:22 *:*',
    ].join('\n');
    expect(parseSs(text)).toEqual([
      { port: 53, address: '127.0.0.53', pid: 600, processName: 'systemd-resolve' },
      { port: 22, address: '*', pid: null },
    ]);
  });

  it('keeps process names with spaces and commas', () => {
    const text = 'LISTEN 0 511 [::]:8080 [::]:* users:(("Web Content, 2",pid=77,fd=9))';
    expect(parseSs(text)).toEqual([
      { port: 8080, address: '::', pid: 77, processName: 'Web Content, 2' },
    ]);
  });

  it('returns [] for empty output', () => {
    expect(parseSs('')).toEqual([]);
  });
});

describe('splitHostPort', () => {
  it.each([
    ['127.0.0.1:5432', '127.0.0.1', 5432],
    ['*:8000', '*', 8000],
    ['[::1]:3000', '::1', 3000],
    ['[::]:445', '::', 445],
    ['[::ffff:127.0.0.1]:80', '::ffff:127.0.0.1', 80],
    ['127.0.0.53%lo:53', '127.0.0.53', 53],
    ['[fe80::1c2d%12]:5040', 'fe80::1c2d', 5040],
  ])('%s', (text, address, port) => {
    expect(splitHostPort(text)).toEqual({ address, port });
  });

  it.each(['*:http', '*:*', '8000', ':80', '1.2.3.4:70000'])('rejects %s', (text) => {
    expect(splitHostPort(text)).toBeNull();
  });
});
