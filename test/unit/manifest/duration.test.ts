import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../../src/manifest/duration.js';
import { normalizeSignal, suggestSignal } from '../../../src/manifest/signals.js';
import { closest, editDistance } from '../../../src/manifest/suggest.js';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['5s', 5000],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['1m30s', 90_000],
    ['1.5s', 1500],
    ['0', 0],
    ['10', 10_000],
    [' 3s ', 3000],
    [5, 5000],
    [0.25, 250],
    [0, 0],
  ] as const)('%s -> %d ms', (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  it.each(['', '5x', 's', '-1s', '5 s', 'five', '1e3', '5S', '1..5s'])('rejects %j', (input) => {
    expect(parseDuration(input)).toBeNull();
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('rejects the number %d', (input) => {
    expect(parseDuration(input)).toBeNull();
  });
});

describe('signals', () => {
  it.each([
    ['SIGTERM', 'SIGTERM'],
    ['sigint', 'SIGINT'],
    ['HUP', 'SIGHUP'],
    ['quit', 'SIGQUIT'],
    ['SIGKILL', 'SIGKILL'],
    ['usr1', 'SIGUSR1'],
    ['SigUsr2', 'SIGUSR2'],
  ])('%s normalises to %s', (name, expected) => {
    expect(normalizeSignal(name)).toBe(expected);
  });

  it.each(['SIGFOO', 'TERMINATE', '', '15'])('%j is not a signal', (name) => {
    expect(normalizeSignal(name)).toBeNull();
  });

  it('suggests the closest signal for a typo', () => {
    expect(suggestSignal('SIGTREM')).toBe('SIGTERM');
    expect(suggestSignal('int')).toBe('SIGINT');
    expect(suggestSignal('SIGWHATEVER')).toBeUndefined();
  });
});

describe('did you mean', () => {
  it('counts a swap of neighbours as one edit', () => {
    expect(editDistance('prot', 'port')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('finds close keys and ignores distant ones', () => {
    const keys = ['command', 'cwd', 'port', 'ports', 'depends_on', 'stop_timeout'];
    expect(closest('comand', keys)).toBe('command');
    expect(closest('depends-on', keys)).toBe('depends_on');
    expect(closest('dependson', keys)).toBe('depends_on');
    expect(closest('Port', keys)).toBe('port');
    expect(closest('banana', keys)).toBeUndefined();
  });
});
