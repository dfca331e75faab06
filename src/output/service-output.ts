/**
 * Everything the services print: each stream is drained as lines, every line is printed whole
 * behind its service's padded, coloured name, and logged raw to `<logDir>/<service>.log`.
 *
 * Built for throughput: per incoming chunk the complete lines are decoded once, turned into ONE
 * prefixed string and written ONCE to `out` and once to the log. Writes never wait for the
 * destination: a slow terminal must not block a chatty service (a child blocked on a full pipe
 * stops serving requests), so its output is always read and buffered here instead.
 * Lines of different services cannot interleave because each write holds complete lines only.
 */
import type { Writable } from 'node:stream';
import { paint } from './colors.js';
import { BlockSplitter } from './line-splitter.js';
import { LogFiles } from './log-files.js';

export interface ServiceOutputOptions {
  /** Where prefixed lines go (process.stdout). */
  out: NodeJS.WritableStream;
  /** Colour the prefixes; decided by the caller via colorEnabled(). */
  color: boolean;
  /** Every service name, for padding and stable colours (colour index = position in this list). */
  names: string[];
  /** Directory of the per-service log files; null: no log files. */
  logDir: string | null;
  /** Service lines are not printed, only logged (devlaunch run's quiet mode). Default false. */
  quiet?: boolean;
  /** How many recent lines per service to keep for failure messages. Default 20. */
  tailSize?: number;
}

export type LineListener = (text: string, partial: boolean) => void;

interface ServiceState {
  name: string;
  prefix: string;
  /** '\n' + prefix: joins a chunk's lines into one printed block. */
  joiner: string;
  tail: string[];
  listeners: Set<LineListener>;
}

/** Counters for diagnostics and benchmarks. */
export interface OutputStats {
  /** Bytes of complete lines read from the services. */
  bytes: number;
  /** Largest `writableLength` seen on `out`: how far a slow terminal fell behind. */
  maxBuffered: number;
}

const SYSTEM_NAME = 'devlaunch';
const LF = 10;

export class ServiceOutput {
  readonly #out: NodeJS.WritableStream;
  readonly #quiet: boolean;
  readonly #tailSize: number;
  readonly #logs: LogFiles | null;
  readonly #services = new Map<string, ServiceState>();
  readonly #paintPrefix: (index: number, padded: string) => string;
  readonly #width: number;
  readonly #systemPrefix: string;
  #nextIndex: number;
  #open = 0;
  #idle: Array<() => void> = [];
  #outBroken = false;
  readonly #stats: OutputStats = { bytes: 0, maxBuffered: 0 };

  constructor(opts: ServiceOutputOptions) {
    this.#out = opts.out;
    this.#quiet = opts.quiet ?? false;
    this.#tailSize = opts.tailSize ?? 20;
    // The caller already decided; FORCE_COLOR here only stops paint() from deciding again.
    const painter = paint(opts.out as Writable, opts.color, { FORCE_COLOR: '1' });
    this.#paintPrefix = (index, padded) => painter.pick(index, `${padded} |`);
    this.#width = Math.max(0, ...opts.names.map((name) => name.length));
    this.#systemPrefix = `${painter.bold(painter.dim(SYSTEM_NAME.padEnd(this.#width)))} ${painter.dim('»')} `;
    opts.names.forEach((name, index) => {
      this.#services.set(name, this.#makeState(name, index));
    });
    this.#nextIndex = opts.names.length;
    this.#logs =
      opts.logDir === null
        ? null
        : new LogFiles(opts.logDir, (service, error) =>
            this.system(`cannot write the log of ${service}: ${error.message}`),
          );
    // A closed terminal or a reader that went away (EPIPE) must not crash the session and orphan
    // its services: printing stops, draining and logging go on.
    opts.out.on('error', () => {
      this.#outBroken = true;
    });
  }

  /** Start draining a service's stream. stdout and stderr lines are printed the same way. */
  attach(service: string, stream: NodeJS.ReadableStream, _kind: 'stdout' | 'stderr'): void {
    const state = this.#service(service);
    const splitter = new BlockSplitter((text, bytes) => this.#emit(state, text, bytes));
    this.#open += 1;
    let ended = false;
    const finish = () => {
      if (ended) return;
      ended = true;
      splitter.end();
      this.#open -= 1;
      if (this.#open === 0) for (const resolve of this.#idle.splice(0)) resolve();
    };
    stream.on('data', (chunk: Buffer | string) => {
      splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
      if (state.listeners.size > 0) {
        const partial = splitter.partial();
        if (partial !== '') for (const listener of state.listeners) listener(partial, true);
      }
    });
    stream.on('end', finish);
    stream.on('close', finish);
    stream.on('error', finish);
    // Flowing mode: read as fast as the child writes, whatever `out` does.
    stream.resume();
  }

  /** Subscribe to a service's lines (and partial-line updates when partial === true). */
  onLine(service: string, listener: LineListener): () => void {
    const state = this.#service(service);
    state.listeners.add(listener);
    return () => {
      state.listeners.delete(listener);
    };
  }

  /** The service's most recent lines (both streams, in order). */
  lastLines(service: string): string[] {
    return [...(this.#services.get(service)?.tail ?? [])];
  }

  /** devlaunch's own line(s), set apart from service output, in order with service lines. */
  system(text: string): void {
    this.#write(`${this.#systemPrefix}${text.split('\n').join(`\n${this.#systemPrefix}`)}\n`);
  }

  /** Text printed as it is (a table), in order with service lines; a final newline is added. */
  print(text: string): void {
    this.#write(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** A restart of a service: its log file gets a separator line. */
  markRestart(service: string, text = `restarted at ${new Date().toISOString()}`): void {
    this.#logs?.write(service, `--- ${text} ---\n`);
  }

  stats(): OutputStats {
    return { ...this.#stats };
  }

  /**
   * Resolves when every attached stream has ended and everything is flushed to `out` and the
   * log files (log files closed). `out` itself is left open.
   */
  async close(): Promise<void> {
    if (this.#open > 0) await new Promise<void>((resolve) => this.#idle.push(resolve));
    await Promise.all([this.#flushOut(), this.#logs?.close()]);
  }

  #emit(state: ServiceState, text: string, bytes: Buffer): void {
    this.#stats.bytes += bytes.length;
    if (!this.#quiet) this.#write(state.prefix + text.replaceAll('\n', state.joiner) + '\n');
    if (this.#logs !== null) {
      // The raw bytes, as the service printed them: no decode, no re-encode.
      this.#logs.write(state.name, bytes);
      if (bytes[bytes.length - 1] !== LF) this.#logs.write(state.name, '\n');
    }
    this.#remember(state, text);
    if (state.listeners.size > 0) {
      for (const line of text.split('\n'))
        for (const listener of state.listeners) listener(line, false);
    }
  }

  /** Keeps the last `tailSize` lines, splitting only the end of a big block. */
  #remember(state: ServiceState, text: string): void {
    const size = this.#tailSize;
    if (size <= 0) return;
    let start = text.length;
    let found = 0;
    while (found < size) {
      const at = text.lastIndexOf('\n', start - 1);
      if (at === -1 || start === 0) {
        start = -1;
        break;
      }
      start = at;
      found += 1;
    }
    const lines = (start === -1 ? text : text.slice(start + 1)).split('\n');
    if (lines.length >= size) {
      state.tail = lines.slice(lines.length - size);
      return;
    }
    state.tail.push(...lines);
    if (state.tail.length > size) state.tail.splice(0, state.tail.length - size);
  }

  #write(text: string): void {
    if (this.#outBroken) return;
    this.#out.write(text);
    const buffered = (this.#out as Writable).writableLength ?? 0;
    if (buffered > this.#stats.maxBuffered) this.#stats.maxBuffered = buffered;
  }

  #flushOut(): Promise<void> {
    const out = this.#out as Writable;
    if (this.#outBroken || out.destroyed || out.writableEnded) return Promise.resolve();
    // A write's callback runs once everything written before it has been handed on.
    return new Promise((resolve) => out.write('', () => resolve()));
  }

  #service(name: string): ServiceState {
    let state = this.#services.get(name);
    if (state === undefined) {
      state = this.#makeState(name, this.#nextIndex++);
      this.#services.set(name, state);
    }
    return state;
  }

  #makeState(name: string, index: number): ServiceState {
    const prefix = `${this.#paintPrefix(index, name.padEnd(this.#width))} `;
    return { name, prefix, joiner: `\n${prefix}`, tail: [], listeners: new Set() };
  }
}
