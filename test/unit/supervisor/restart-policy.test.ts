import { describe, expect, it } from 'vitest';
import { restartDecision } from '../../../src/supervisor/restart-policy.js';

describe('restartDecision', () => {
  it('never restarts with restart: no', () => {
    expect(restartDecision({ code: 1, policy: 'no', restarts: 0, maxRestarts: 3 })).toEqual({
      restart: false,
    });
  });
  it('restarts on failure only with on-failure', () => {
    expect(restartDecision({ code: 0, policy: 'on-failure', restarts: 0, maxRestarts: 3 })).toEqual(
      { restart: false },
    );
    expect(restartDecision({ code: 2, policy: 'on-failure', restarts: 0, maxRestarts: 3 })).toEqual(
      { restart: true, delayMs: 500 },
    );
    expect(
      restartDecision({ code: null, policy: 'on-failure', restarts: 0, maxRestarts: 3 }),
    ).toEqual({ restart: true, delayMs: 500 });
  });
  it('restarts even after success with always', () => {
    expect(restartDecision({ code: 0, policy: 'always', restarts: 1, maxRestarts: 3 })).toEqual({
      restart: true,
      delayMs: 1000,
    });
  });
  it('doubles the wait up to 30 s', () => {
    const delays = [0, 1, 2, 3, 6, 7, 20].map((restarts) => {
      const d = restartDecision({ code: 1, policy: 'always', restarts, maxRestarts: 100 });
      return d.restart ? d.delayMs : -1;
    });
    expect(delays).toEqual([500, 1000, 2000, 4000, 30000, 30000, 30000]);
  });
  it('stops restarting after max_restarts', () => {
    expect(restartDecision({ code: 1, policy: 'always', restarts: 3, maxRestarts: 3 })).toEqual({
      restart: false,
    });
  });
});
