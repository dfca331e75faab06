import { describe, expect, it } from 'vitest';
import { isInteractive, parseAnswer, questionText } from '../../../src/ports/ask.js';

describe('ask', () => {
  it('reads answers leniently; empty aborts; nonsense is asked again', () => {
    expect(parseAnswer('s')).toBe('stop');
    expect(parseAnswer(' Stop ')).toBe('stop');
    expect(parseAnswer('r')).toBe('remap');
    expect(parseAnswer('another')).toBe('remap');
    expect(parseAnswer('')).toBe('abort');
    expect(parseAnswer('a')).toBe('abort');
    expect(parseAnswer('maybe')).toBeNull();
  });
  it('is interactive only when both stdin and stdout are terminals', () => {
    expect(isInteractive({ isTTY: true }, { isTTY: true })).toBe(true);
    expect(isInteractive({ isTTY: true }, {})).toBe(false);
    expect(isInteractive({}, { isTTY: true })).toBe(false);
  });
  it('shows the holder and the three choices', () => {
    const text = questionText({
      service: 'web',
      label: 'web',
      port: 3000,
      holders: [
        {
          pid: 7,
          ppid: 1,
          pgid: 7,
          uid: 0,
          user: 'root',
          command: 'node x',
          startTime: '1',
          startedAt: '',
          port: 3000,
          owner: 'foreign',
        },
      ],
    });
    for (const s of [
      'port 3000 of web',
      'pid 7 (user root): node x',
      'stop it',
      'use another port',
      'abort',
    ])
      expect(text).toContain(s);
  });
});
