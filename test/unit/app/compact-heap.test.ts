/** One full collection of devlaunch's heap after all-ready, and nothing left exposed by it. */
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { collectGarbage, collectOnceReady } from '../../../src/app/compact-heap.js';
import type { SupervisorEvent } from '../../../src/output/events.js';

afterEach(() => {
  vi.useRealTimers();
});

const allReady = { type: 'all-ready', rows: [], elapsedMs: 1 } as unknown as SupervisorEvent;
const other = { type: 'session-stopping' } as unknown as SupervisorEvent;

describe('collectOnceReady', () => {
  it('collects once, shortly after the first all-ready, and never for other events', () => {
    vi.useFakeTimers();
    const collect = vi.fn();
    const listener = collectOnceReady(collect);
    listener(other);
    vi.advanceTimersByTime(1000);
    expect(collect).not.toHaveBeenCalled();
    listener(allReady);
    expect(collect).not.toHaveBeenCalled(); // not while the ready table is being written
    vi.advanceTimersByTime(1000);
    expect(collect).toHaveBeenCalledTimes(1);
    listener(allReady); // ready again after a restart: once is enough
    vi.advanceTimersByTime(1000);
    expect(collect).toHaveBeenCalledTimes(1);
  });
});

describe('collectGarbage', () => {
  it('frees unreachable memory and leaves gc unexposed to later contexts', () => {
    let garbage: object[] | null = Array.from({ length: 200_000 }, (_, i) => ({ i }));
    expect(garbage.length).toBe(200_000);
    garbage = null;
    const before = process.memoryUsage().heapUsed;
    collectGarbage();
    expect(process.memoryUsage().heapUsed).toBeLessThan(before - 4_000_000);
    expect(runInNewContext('typeof gc')).toBe('undefined');
  });
});
