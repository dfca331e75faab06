/** One full collection of devlaunch's heap after all-ready, and nothing left exposed by it. */
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  BUSY_OUTPUT_BYTES,
  COLLECT_AFTER_READY_MS,
  collectGarbage,
  collectOnceReady,
} from '../../../src/app/compact-heap.js';
import type { SupervisorEvent } from '../../../src/output/events.js';

afterEach(() => {
  vi.useRealTimers();
});

const allReady = { type: 'all-ready', rows: [], elapsedMs: 1 } as unknown as SupervisorEvent;
const other = { type: 'service-ready', service: 'web', elapsedMs: 1 } as SupervisorEvent;
const stopping = {
  type: 'stopping',
  reason: { kind: 'finished' },
  graceful: true,
} as SupervisorEvent;

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
    vi.advanceTimersByTime(COLLECT_AFTER_READY_MS - 1);
    expect(collect).not.toHaveBeenCalled(); // nor while the services settle
    vi.advanceTimersByTime(1);
    expect(collect).toHaveBeenCalledTimes(1);
    listener(allReady); // ready again after a restart: once is enough
    vi.advanceTimersByTime(COLLECT_AFTER_READY_MS);
    expect(collect).toHaveBeenCalledTimes(1);
  });

  it('puts the collection off while the services print a lot, and collects once they calm down', () => {
    vi.useFakeTimers();
    const collect = vi.fn();
    let printed = 0;
    const listener = collectOnceReady(collect, () => printed);
    listener(allReady);
    printed += BUSY_OUTPUT_BYTES; // a long line going out during the wait
    vi.advanceTimersByTime(COLLECT_AFTER_READY_MS);
    expect(collect).not.toHaveBeenCalled();
    printed += BUSY_OUTPUT_BYTES * 3; // still busy over the next wait
    vi.advanceTimersByTime(COLLECT_AFTER_READY_MS);
    expect(collect).not.toHaveBeenCalled();
    printed += BUSY_OUTPUT_BYTES - 1; // ordinary logging
    vi.advanceTimersByTime(COLLECT_AFTER_READY_MS);
    expect(collect).toHaveBeenCalledTimes(1);
    printed += BUSY_OUTPUT_BYTES * 10;
    vi.advanceTimersByTime(COLLECT_AFTER_READY_MS * 5);
    expect(collect).toHaveBeenCalledTimes(1);
  });

  it('does not collect in a session that stops before the collection is due', () => {
    vi.useFakeTimers();
    const collect = vi.fn();
    const listener = collectOnceReady(collect);
    listener(allReady);
    vi.advanceTimersByTime(COLLECT_AFTER_READY_MS / 2);
    listener(stopping);
    vi.advanceTimersByTime(COLLECT_AFTER_READY_MS * 2);
    listener(allReady);
    vi.advanceTimersByTime(COLLECT_AFTER_READY_MS * 2);
    expect(collect).not.toHaveBeenCalled();
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
