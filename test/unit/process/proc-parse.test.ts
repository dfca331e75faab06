import { describe, expect, it } from 'vitest';
import { parsePasswd, parseProcStat, parsePsOutput } from '../../../src/process/proc-parse.js';

// Field 22 (starttime) is the 20th field after the closing parenthesis of comm.
const tail = (state: string, ppid: number, pgid: number, sid: number, start: string) =>
  `${state} ${ppid} ${pgid} ${sid} 34816 ${pgid} 4194560 1161 0 0 0 3 1 0 0 20 0 1 0 ${start} 1249280 ` +
  '878 18446744073709551615 1 1 0 0 0 0 0 0 65536 0 0 0 17 1 0 0 0 0 0';

describe('parseProcStat', () => {
  it('reads pid, state, ppid, pgid, sid and starttime of a plain line', () => {
    expect(parseProcStat(`4123 (node) ${tail('S', 4100, 4123, 4000, '987654')}\n`)).toEqual({
      pid: 4123,
      comm: 'node',
      state: 'S',
      ppid: 4100,
      pgid: 4123,
      sid: 4000,
      startTime: '987654',
    });
  });

  it('keeps spaces inside comm', () => {
    const stat = parseProcStat(`77 (Web Content) ${tail('R', 1, 77, 77, '12')}`);
    expect(stat?.comm).toBe('Web Content');
    expect(stat?.ppid).toBe(1);
    expect(stat?.startTime).toBe('12');
  });

  it('splits after the LAST parenthesis when comm contains ")" and "("', () => {
    const stat = parseProcStat(`9 (a) b (c)) ${tail('Z', 8, 9, 9, '31337')}`);
    expect(stat).toMatchObject({
      pid: 9,
      comm: 'a) b (c)',
      state: 'Z',
      ppid: 8,
      startTime: '31337',
    });
  });

  it('handles a comm that looks like more fields', () => {
    const stat = parseProcStat(`10 (x) S 1 2 3) ${tail('S', 5, 10, 10, '444')}`);
    expect(stat).toMatchObject({ comm: 'x) S 1 2 3', state: 'S', ppid: 5, startTime: '444' });
  });

  it('reads an empty comm', () => {
    expect(parseProcStat(`11 () ${tail('S', 2, 0, 0, '5')}`)?.comm).toBe('');
  });

  it('keeps huge start times exact, as text', () => {
    expect(parseProcStat(`12 (k) ${tail('S', 2, 0, 0, '18446744073709551610')}`)?.startTime).toBe(
      '18446744073709551610',
    );
  });

  it.each([
    ['empty', ''],
    ['no parenthesis', '12 node S 1 2 3'],
    ['truncated', '12 (node) S 1 2 3'],
    ['no pid', '(node) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20'],
    ['non-numeric starttime', `12 (node) ${tail('S', 1, 1, 1, 'abc')}`],
  ])('returns null for %s text', (_name, text) => {
    expect(parseProcStat(text)).toBeNull();
  });
});

describe('parsePasswd', () => {
  const passwd = [
    'root:x:0:0:root:/root:/bin/bash',
    'daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin',
    '# a comment:x:5:5',
    '',
    'dana:x:1000:1000:Dana,,,:/home/dana:/bin/zsh',
    'toor:x:0:0:second root:/root:/bin/sh',
    'broken-line',
    'nouid:x::1:::',
    '+::::::',
  ].join('\n');

  it('maps uids to names', () => {
    const users = parsePasswd(passwd);
    expect(users.get(1)).toBe('daemon');
    expect(users.get(1000)).toBe('dana');
  });

  it('keeps the first entry of a duplicated uid, as getpwuid does', () => {
    expect(parsePasswd(passwd).get(0)).toBe('root');
  });

  it('skips comments, blank, broken and NIS lines', () => {
    expect([...parsePasswd(passwd).keys()].sort((a, b) => a - b)).toEqual([0, 1, 1000]);
  });

  it('accepts CRLF-free empty input', () => {
    expect(parsePasswd('').size).toBe(0);
  });
});

describe('parsePsOutput', () => {
  const ps = [
    '    1     0     1     0 root             Mon Nov 20 09:01:12 2023     /sbin/launchd',
    '  512     1   512   501 dana             Thu Nov  2 10:15:32 2023     /System/Library/CoreServices/ControlCenter.app/Contents/MacOS/ControlCenter',
    ' 4123   900  4123   501 dana             Fri Dec 29 23:59:59 2023     node server.js --port 8000 (dev)',
    '   77     1    77    -2 nobody           Sun Jan  1 00:00:00 2023     ',
    'garbage line',
    '',
  ].join('\n');

  it('reads pid, ppid, pgid, uid, user and command', () => {
    const rows = parsePsOutput(ps);
    expect(rows.map((r) => r.pid)).toEqual([1, 512, 4123, 77]);
    expect(rows[2]).toMatchObject({
      pid: 4123,
      ppid: 900,
      pgid: 4123,
      uid: 501,
      user: 'dana',
      command: 'node server.js --port 8000 (dev)',
    });
  });

  it('accepts negative uids (macOS nobody is -2) and an empty command', () => {
    expect(parsePsOutput(ps)[3]).toMatchObject({ pid: 77, uid: -2, user: 'nobody', command: '' });
  });

  it('turns lstart (local time) into an epoch-ms identity and an ISO time', () => {
    const row = parsePsOutput(ps)[1]!;
    const expected = new Date(2023, 10, 2, 10, 15, 32).getTime();
    expect(row.startTime).toBe(String(expected));
    expect(row.startedAt).toBe(new Date(expected).toISOString());
  });

  it('gives different start times for different lstarts', () => {
    const [a, b] = parsePsOutput(ps);
    expect(a!.startTime).not.toBe(b!.startTime);
  });

  it('returns nothing for empty output', () => {
    expect(parsePsOutput('')).toEqual([]);
  });
});
