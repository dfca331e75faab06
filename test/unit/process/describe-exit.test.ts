import { describe, expect, it } from 'vitest';
import { describeExit } from '../../../src/process/spawn.js';

describe('describeExit', () => {
  it.each([
    [0, null, 'exited with code 0'],
    [1, null, 'exited with code 1'],
    [2, null, 'exited with code 2'],
    [127, null, 'command not found (exit 127)'],
    [126, null, 'not executable (exit 126)'],
    [null, 'SIGKILL', 'killed by SIGKILL'],
    [null, 'SIGTERM', 'killed by SIGTERM'],
    [null, null, 'exited'],
  ] as const)('code %s, signal %s: %s', (code, signal, text) => {
    expect(describeExit(code, signal)).toBe(text);
  });
});
