/** Readiness polling: growing intervals, and a probe as soon as a waiting service prints. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { poll } from '../../../src/supervisor/readiness.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** A service's output that tests print to, and an attempt that counts its calls. */
function service(readyAfter = Number.POSITIVE_INFINITY) {
  const listeners = new Set<() => void>();
  const state = { attempts: 0, ready: false };
  return {
    state,
    print: () => {
      for (const l of listeners) l();
    },
    onOutput: (listener: () => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    listeners,
    attempt: async () => {
      state.attempts += 1;
      return state.ready || state.attempts >= readyAfter;
    },
  };
}

/** Lets pending promise callbacks run without moving the clock. */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

describe('poll', () => {
  it('probes as soon as the service prints, not at the next interval', async () => {
    const s = service();
    const done = poll(s.attempt, 1000, new AbortController().signal, s.onOutput);
    await vi.advanceTimersByTimeAsync(3000); // past the fast phase: waits grow towards 1 s
    const before = s.state.attempts;
    s.state.ready = true; // listening now, and says so
    s.print();
    await settle();
    expect(s.state.attempts).toBe(before + 1);
    await expect(done).resolves.toBe(true);
    expect(s.listeners.size).toBe(0); // no longer listening to the output
  });

  it('without output, waits out the interval', async () => {
    const s = service();
    const done = poll(s.attempt, 1000, new AbortController().signal, s.onOutput);
    await vi.advanceTimersByTimeAsync(3000);
    const before = s.state.attempts;
    s.state.ready = true;
    await settle();
    expect(s.state.attempts).toBe(before);
    await vi.advanceTimersByTimeAsync(1000);
    await expect(done).resolves.toBe(true);
  });

  it('a service printing all the time is probed at most twice as often as a quiet one', async () => {
    const quiet = service();
    const chatty = service();
    const stop = new AbortController();
    void poll(quiet.attempt, 200, stop.signal, quiet.onOutput);
    void poll(chatty.attempt, 200, stop.signal, chatty.onOutput);
    const printing = setInterval(chatty.print, 1);
    await vi.advanceTimersByTimeAsync(5000);
    clearInterval(printing);
    stop.abort();
    expect(chatty.state.attempts).toBeGreaterThan(quiet.state.attempts);
    expect(chatty.state.attempts).toBeLessThanOrEqual(2 * quiet.state.attempts + 2);
  });

  it('stops when aborted, and stops listening', async () => {
    const s = service();
    const stop = new AbortController();
    const done = poll(s.attempt, 1000, stop.signal, s.onOutput);
    await vi.advanceTimersByTimeAsync(50);
    stop.abort();
    await expect(done).resolves.toBe(false);
    expect(s.listeners.size).toBe(0);
  });
});
