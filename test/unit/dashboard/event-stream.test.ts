/**
 * Live updates: a page gets a hello, then coalesced snapshots and batched lines; a page that
 * stops reading holds a bounded queue and is dropped after a stall; with no page open the
 * session has no listener at all.
 */
import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EventHub, MAX_LINE_CHARS } from '../../../src/dashboard/event-stream.js';
import { FakeBackend } from './fake-backend.js';

/** The part of a ServerResponse the hub uses; `writableLength` is what the socket holds. */
class FakeResponse extends EventEmitter {
  written: string[] = [];
  writableLength = 0;
  destroyed = false;
  writableEnded = false;
  socket = { setNoDelay: () => {} };
  writeHead() {
    return this;
  }
  write(text: string) {
    this.written.push(text);
    return true;
  }
  end() {
    this.writableEnded = true;
    this.emit('close');
  }
  destroy() {
    this.destroyed = true;
    this.emit('close');
  }
  /** Every event sent so far, parsed. */
  events(): { event: string; data: unknown }[] {
    return this.written
      .join('')
      .split('\n\n')
      .filter((block) => block.includes('event: '))
      .map((block) => ({
        event: /event: (.*)/.exec(block)?.[1] ?? '',
        data: JSON.parse(/data: (.*)/.exec(block)?.[1] ?? 'null'),
      }));
  }
}

const limits = { flushMs: 10, maxPendingLines: 100, maxBufferedBytes: 1000, stallMs: 200 };

afterEach(() => {
  vi.useRealTimers();
});

function open(hub: EventHub): FakeResponse {
  const res = new FakeResponse();
  hub.open(res as unknown as ServerResponse);
  return res;
}

describe('EventHub', () => {
  it('greets a page with the state and the recent lines, then sends changes and lines', () => {
    vi.useFakeTimers();
    const backend = new FakeBackend();
    const hub = new EventHub(backend, limits);
    const res = open(hub);
    expect(res.events()[0]).toMatchObject({
      event: 'hello',
      data: { snapshot: { project: 'secret-project' }, lines: [['api', 'secret-line-of-api']] },
    });
    backend.emit({ type: 'changed' });
    backend.emit({ type: 'changed' });
    backend.emit({ type: 'line', line: { service: 'web', text: 'GET / 200' } });
    vi.advanceTimersByTime(limits.flushMs);
    const after = res.events().slice(1);
    expect(after.map((e) => e.event)).toEqual(['snapshot', 'lines']); // two changes, one snapshot
    expect(after[1]?.data).toEqual({ skipped: 0, lines: [['web', 'GET / 200']] });
    hub.close();
  });

  it('cuts a huge line for the page', () => {
    vi.useFakeTimers();
    const backend = new FakeBackend();
    const hub = new EventHub(backend, limits);
    const res = open(hub);
    backend.emit({ type: 'line', line: { service: 'api', text: 'x'.repeat(MAX_LINE_CHARS * 3) } });
    vi.advanceTimersByTime(limits.flushMs);
    const batch = res.events()[1]?.data as { lines: [string, string][] } | undefined;
    expect(batch?.lines[0]?.[1].length).toBeLessThan(MAX_LINE_CHARS + 10);
    hub.close();
  });

  it('keeps a bounded queue for a page that stops reading, then drops it after a stall', () => {
    vi.useFakeTimers();
    const backend = new FakeBackend();
    const hub = new EventHub(backend, limits);
    const slow = open(hub);
    const fast = open(hub);
    slow.writableLength = limits.maxBufferedBytes + 1; // its socket is full
    let n = 0;
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 50; i++) {
        backend.emit({ type: 'line', line: { service: 'api', text: `line ${n++}` } });
      }
      vi.advanceTimersByTime(limits.flushMs);
    }
    expect(slow.written).toHaveLength(1); // the hello only: nothing more while it is full
    // The page that reads got every line.
    const fastLines = fast.events().filter((e) => e.event === 'lines');
    expect(fastLines.flatMap((e) => (e.data as { lines: unknown[] }).lines)).toHaveLength(1000);
    // The slow page caught up: it gets the newest lines and the number it missed.
    slow.writableLength = 0;
    vi.advanceTimersByTime(limits.flushMs);
    const batch = slow.events().find((e) => e.event === 'lines')?.data as {
      skipped: number;
      lines: [string, string][];
    };
    expect(batch.lines).toHaveLength(limits.maxPendingLines);
    expect(batch.skipped).toBe(1000 - limits.maxPendingLines);
    expect(batch.lines.at(-1)).toEqual(['api', 'line 999']);
    // Stuck for longer than the stall limit: disconnected; the other page goes on.
    slow.writableLength = limits.maxBufferedBytes + 1;
    backend.emit({ type: 'changed' });
    vi.advanceTimersByTime(limits.stallMs + limits.flushMs * 2);
    expect(slow.destroyed).toBe(true);
    expect(hub.size).toBe(1);
    hub.close();
  });

  it('takes at most a queue of lines per flush from the session, then the newest it kept', () => {
    vi.useFakeTimers();
    const backend = new FakeBackend();
    backend.recent = [];
    const hub = new EventHub(backend, limits);
    const res = open(hub);
    for (let n = 0; n < 1000; n++) backend.print(n % 2 === 0 ? 'api' : 'web', `line ${n}`);
    // The gate shut once a queue's worth was handed over: the session only counted the rest.
    expect(backend.gate?.open()).toBe(false);
    vi.advanceTimersByTime(limits.flushMs);
    expect(backend.gate?.open()).toBe(true);
    const batch = res.events().find((e) => e.event === 'lines')?.data as {
      skipped: number;
      lines: [string, string][];
    };
    // A queue's worth: the first lines handed over, then the newest the session kept of each
    // service (its last 20), so a page that follows the output ends on the flood's last lines.
    expect(batch.lines).toHaveLength(limits.maxPendingLines);
    expect(batch.lines.slice(0, 60)).toEqual(
      Array.from({ length: 60 }, (_, i) => [(40 + i) % 2 === 0 ? 'api' : 'web', `line ${40 + i}`]),
    );
    expect(batch.lines.slice(60)).toEqual([
      ...Array.from({ length: 20 }, (_, i) => ['api', `line ${960 + 2 * i}`]),
      ...Array.from({ length: 20 }, (_, i) => ['web', `line ${961 + 2 * i}`]),
    ]);
    expect(batch.skipped + batch.lines.length).toBe(1000);
    // The next flush's lines go through again.
    backend.print('api', 'after');
    vi.advanceTimersByTime(limits.flushMs);
    expect(res.events().at(-1)?.data).toEqual({ skipped: 0, lines: [['api', 'after']] });
    hub.close();
  });

  it('stops listening to the session when the last page closes', () => {
    vi.useFakeTimers();
    const backend = new FakeBackend();
    const hub = new EventHub(backend, limits);
    expect(backend.listeners.size).toBe(0);
    const a = open(hub);
    const b = open(hub);
    expect(backend.listeners.size).toBe(1);
    a.emit('close');
    expect(backend.listeners.size).toBe(1);
    b.emit('close');
    expect(backend.listeners.size).toBe(0);
    expect(hub.size).toBe(0);
  });

  it('tells the pages the session is stopping', () => {
    vi.useFakeTimers();
    const backend = new FakeBackend();
    const hub = new EventHub(backend, limits);
    const res = open(hub);
    backend.emit({ type: 'stopping' });
    vi.advanceTimersByTime(limits.flushMs);
    expect(res.events().map((e) => e.event)).toContain('stopping');
    hub.close();
    expect(res.writableEnded).toBe(true);
  });
});
