/**
 * Live updates to the pages by Server-Sent Events. One subscription to the session feeds every
 * open page; each page is a client with a bounded queue, flushed every FLUSH_MS:
 *
 * - the session's listener only pushes to arrays and sets flags: a page never slows a service;
 * - a page that reads slowly (its socket holds more than MAX_BUFFERED_BYTES) gets nothing more
 *   until it catches up; its queue keeps the newest MAX_PENDING_LINES lines and counts the
 *   dropped ones, which the page can fetch from the log files; a page stuck for STALL_MS is
 *   disconnected (EventSource reconnects by itself and starts afresh);
 * - state changes are coalesced into one snapshot per flush, shared by every page;
 * - the session hands over at most MAX_PENDING_LINES lines per flush: beyond that its lines are
 *   only counted (a LineGate), so a flood costs devlaunch no more with a page open than without.
 *   The newest lines of each service that went by uncounted-for are taken from what the session
 *   keeps of them (its last lines) at the next flush, so a page that follows the output still
 *   ends on the flood's last lines; those come grouped by service.
 */
import type { ServerResponse } from 'node:http';
import type { DashboardBackend, LogLine } from './types.js';

const FLUSH_MS = 100;
const MAX_PENDING_LINES = 5000;
const MAX_BUFFERED_BYTES = 1 << 20;
const STALL_MS = 30_000;
const HEARTBEAT_MS = 15_000;
/** Longer lines are cut for the page; the log file keeps them whole. */
export const MAX_LINE_CHARS = 8192;

export interface StreamLimits {
  flushMs: number;
  maxPendingLines: number;
  maxBufferedBytes: number;
  stallMs: number;
}

const DEFAULT_LIMITS: StreamLimits = {
  flushMs: FLUSH_MS,
  maxPendingLines: MAX_PENDING_LINES,
  maxBufferedBytes: MAX_BUFFERED_BYTES,
  stallMs: STALL_MS,
};

type Wire = [service: string, text: string];

class Client {
  pending: Wire[] = [];
  /** Lines dropped since the last flush (the page was too slow for them). */
  skipped = 0;
  changed = false;
  stopping = false;
  blockedSince: number | null = null;
  lastWrite = Date.now();

  constructor(
    readonly res: ServerResponse,
    readonly limits: StreamLimits,
  ) {}

  push(line: Wire): void {
    this.pending.push(line);
    // Dropping in blocks keeps this O(1) amortised for a page that stopped reading.
    if (this.pending.length > this.limits.maxPendingLines * 1.25) {
      const drop = this.pending.length - this.limits.maxPendingLines;
      this.pending.splice(0, drop);
      this.skipped += drop;
    }
  }

  /** Writes what is queued unless the socket is full. Returns false when the page must go. */
  flush(snapshot: () => string, now: number): boolean {
    if (this.res.destroyed || this.res.writableEnded) return false;
    if (this.res.writableLength > this.limits.maxBufferedBytes) {
      this.blockedSince ??= now;
      return now - this.blockedSince < this.limits.stallMs;
    }
    this.blockedSince = null;
    let out = '';
    if (this.changed) out += `event: snapshot\ndata: ${snapshot()}\n\n`;
    if (this.pending.length > this.limits.maxPendingLines) {
      this.skipped += this.pending.length - this.limits.maxPendingLines;
      this.pending.splice(0, this.pending.length - this.limits.maxPendingLines);
    }
    if (this.pending.length > 0 || this.skipped > 0) {
      out += `event: lines\ndata: ${JSON.stringify({ skipped: this.skipped, lines: this.pending })}\n\n`;
    }
    if (this.stopping) out += 'event: stopping\ndata: {}\n\n';
    if (out === '' && now - this.lastWrite > HEARTBEAT_MS) out = ': keep-alive\n\n';
    this.changed = false;
    this.stopping = false;
    this.pending = [];
    this.skipped = 0;
    if (out !== '') {
      this.res.write(out);
      this.lastWrite = now;
    }
    return true;
  }
}

function wire(line: LogLine): Wire {
  const text =
    line.text.length > MAX_LINE_CHARS ? `${line.text.slice(0, MAX_LINE_CHARS)} [cut]` : line.text;
  return [line.service, text];
}

export class EventHub {
  readonly #clients = new Set<Client>();
  #unsubscribe: (() => void) | null = null;
  #timer: NodeJS.Timeout | null = null;
  /** Lines handed over since the last flush. */
  #taken = 0;
  /** Lines of each service that went by since the last flush while the gate was shut. */
  #skipped = new Map<string, number>();
  readonly #gate = {
    open: () => this.#taken < this.limits.maxPendingLines,
    skipped: (service: string, lines: number) => {
      this.#skipped.set(service, (this.#skipped.get(service) ?? 0) + lines);
    },
  };

  constructor(
    private readonly backend: DashboardBackend,
    private readonly limits: StreamLimits = DEFAULT_LIMITS,
  ) {}

  get size(): number {
    return this.#clients.size;
  }

  /** Turns the response into an event stream: a hello with the state and recent lines first. */
  open(res: ServerResponse): void {
    if (this.#unsubscribe === null) this.#start();
    const client = new Client(res, this.limits);
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    // The socket must not linger in Nagle's buffer: "within a second" includes small writes.
    res.socket?.setNoDelay(true);
    const hello = {
      snapshot: this.backend.snapshot(),
      lines: this.backend.recentLines().map(wire),
    };
    res.write(`retry: 1000\nevent: hello\ndata: ${JSON.stringify(hello)}\n\n`);
    this.#clients.add(client);
    res.on('close', () => this.#drop(client));
  }

  /** Ends every stream (the session is over). */
  close(): void {
    for (const client of [...this.#clients]) {
      client.res.end();
      this.#drop(client);
    }
  }

  #start(): void {
    this.#unsubscribe = this.backend.subscribe((event) => {
      if (event.type === 'line') {
        this.#taken += 1;
        const line = wire(event.line);
        for (const client of this.#clients) client.push(line);
      } else if (event.type === 'changed') {
        for (const client of this.#clients) client.changed = true;
      } else {
        for (const client of this.#clients) {
          client.changed = true;
          client.stopping = true;
        }
      }
    }, this.#gate);
    this.#timer = setInterval(() => this.#flush(), this.limits.flushMs);
    this.#timer.unref();
  }

  #flush(): void {
    this.#catchUp();
    let shared: string | null = null;
    const snapshot = () => {
      shared ??= JSON.stringify(this.backend.snapshot());
      return shared;
    };
    const now = Date.now();
    for (const client of [...this.#clients]) {
      if (!client.flush(snapshot, now)) {
        client.res.destroy();
        this.#drop(client);
      }
    }
  }

  /** The gate opens again; the newest of the lines it let by are queued, the rest counted. */
  #catchUp(): void {
    this.#taken = 0;
    if (this.#skipped.size === 0) return;
    const skipped = this.#skipped;
    this.#skipped = new Map();
    let left = 0;
    const newest: Wire[] = [];
    for (const [service, count] of skipped) {
      const kept = this.backend.lastLines(service);
      const taken = kept.slice(Math.max(0, kept.length - count));
      for (const text of taken) newest.push(wire({ service, text }));
      left += count - taken.length;
    }
    for (const client of this.#clients) {
      client.skipped += left;
      for (const line of newest) client.push(line);
    }
  }

  #drop(client: Client): void {
    if (!this.#clients.delete(client) || this.#clients.size > 0) return;
    // No page is open: stop listening, so the session pays nothing for the dashboard.
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    this.#taken = 0;
    this.#skipped.clear();
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }
}
