/**
 * Everything the services print: each stream is drained as blocks of complete lines, every line
 * is printed whole behind its service's padded, coloured name, and logged without escape
 * sequences to `<logDir>/<service>.log`.
 *
 * Built for throughput: per incoming chunk the complete lines are prefixed in one pass over the
 * raw bytes (no UTF-8 decoding) and written once to the terminal and once to the log. Writing
 * never waits for the reader (see OutputSink): services are always read at full speed, memory
 * stays bounded, and what a slow reader has not taken yet waits in order on disk. Lines of
 * different services cannot interleave because each write holds complete lines only.
 */
import { tmpdir } from 'node:os';
import type { Writable } from 'node:stream';
import { JOIN_LIMIT, plainPieces, transient } from './blocks.js';
import { paint } from './colors.js';
import { type LineListener, LineListeners, type ListenOptions } from './line-listeners.js';
import { BlockSplitter } from './line-splitter.js';
import { LogFiles } from './log-files.js';
import { Prefix, Prefixer } from './prefixer.js';
import { readChunks } from './reader.js';
import { OutputSink } from './sink.js';
import { visibleWidth } from './table.js';
import { Tail } from './tail.js';
import { muteTerminal, privateWriter } from './terminal.js';

export interface ServiceOutputOptions {
  /** Where prefixed lines and devlaunch's messages go (process.stdout). */
  out: NodeJS.WritableStream;
  /** Where devlaunch's errors go. Default process.stderr. */
  err?: NodeJS.WritableStream;
  /** Colour the prefixes; decided by the caller via colorEnabled(). */
  color: boolean;
  /** Every service name, for padding and stable colours (colour index = position in this list). */
  names: string[];
  /** Directory of the per-service log files; null: no log files. */
  logDir: string | null;
  /** Where output a slow reader has not taken yet is kept. Default `logDir`, else the temp dir. */
  spillDir?: string;
  /** Bytes of pending output kept in memory per destination before spilling. Default 4 MiB. */
  memoryLimit?: number;
  /** Service lines are not printed, only logged (devlaunch run's quiet mode). Default false. */
  quiet?: boolean;
  /** How many recent lines per service to keep for failure messages. Default 20. */
  tailSize?: number;
}

interface ServiceState {
  name: string;
  prefix: Prefix;
  tail: Tail;
  listeners: LineListeners;
}

/** Counters for diagnostics and benchmarks. */
export interface OutputStats {
  /** Bytes of complete lines read from the services. */
  bytes: number;
  /** Most bytes of pending output held in memory for `out` at once. */
  maxBuffered: number;
  /** Bytes of output for `out` that went through the spill file. */
  spilled: number;
  /** Bytes never shown on `out` (its reader went away or never read again). */
  dropped: number;
}

const SYSTEM_NAME = 'devlaunch';
const LF = 10;
/** A line still arriving and longer than this is read into memory of its own (see readChunks). */
const FRESH_AFTER = 256 << 10;
/** At the end, how long a reader that takes nothing is waited for before the rest is dropped. */
const STALLED_READER_MS = 2000;

export class ServiceOutput {
  readonly #outSink: OutputSink;
  /** Opened on the first error (most sessions print none). */
  #errSink: OutputSink | null = null;
  readonly #makeErrSink: () => OutputSink;
  readonly #terminals: OutputSink[] = [];
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
  #bytes = 0;
  readonly #prefixer = new Prefixer();
  /** The pieces of one block for the terminal, then for the log (reused). */
  readonly #pieces: Buffer[] = [];
  /** Called once the terminal has taken the piece (the end of a long line: see #emit). */
  readonly #onTaken = new Map<Buffer, () => void>();
  /** Writes to `out` or `err` so far: tells whether the progress line is still the last line. */
  #writes = 0;
  /** The progress line on a terminal: the writes count after it, and the rows it takes. */
  #progress: { at: number; rows: number } | null = null;
  readonly #out: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };

  constructor(opts: ServiceOutputOptions) {
    this.#quiet = opts.quiet ?? false;
    this.#out = opts.out;
    this.#tailSize = opts.tailSize ?? 20;
    const spillDir = opts.spillDir ?? opts.logDir ?? tmpdir();
    const sinkFor = (stream: NodeJS.WritableStream, name: string) => {
      const writer = privateWriter(stream);
      const sink = new OutputSink({
        ...writer,
        spillDir,
        name,
        ...(opts.memoryLimit === undefined ? {} : { memoryLimit: opts.memoryLimit }),
        onError: (error) =>
          this.error(`cannot hold back output for a slow reader: ${error.message}`),
        release: (bytes) => {
          this.#prefixer.release(bytes);
          if (this.#onTaken.size > 0) this.#taken(bytes);
        },
      });
      if ((stream as { isTTY?: boolean }).isTTY === true) this.#terminals.push(sink);
      return sink;
    };
    this.#outSink = sinkFor(opts.out, 'stdout');
    const err = opts.err ?? process.stderr;
    this.#makeErrSink = () => (err === opts.out ? this.#outSink : sinkFor(err, 'stderr'));
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
  }

  /** Start draining a service's stream. stdout and stderr lines are printed the same way. */
  attach(service: string, stream: NodeJS.ReadableStream, _kind: 'stdout' | 'stderr'): void {
    const state = this.#service(service);
    const splitter = new BlockSplitter((head, headLength, body) =>
      this.#emit(state, head, headLength, body),
    );
    this.#open += 1;
    const finish = () => {
      splitter.end();
      this.#open -= 1;
      if (this.#open === 0) for (const resolve of this.#idle.splice(0)) resolve();
    };
    // Read as fast as the child writes, whatever the reader of `out` does. The chunk's memory is
    // reused for the next read (everything below copies what it keeps), except while a long line
    // arrives: then each read has memory of its own, kept by the splitter as it is.
    readChunks(
      stream,
      (chunk, owned) => {
        splitter.push(chunk, owned);
        if (state.listeners.size > 0 && splitter.pendingLength > 0) {
          state.listeners.partial(() => splitter.partial());
        }
      },
      finish,
      () => splitter.pendingLength >= FRESH_AFTER,
    );
  }

  /**
   * Subscribe to a service's lines, without escape sequences. Partial lines (a prompt printed
   * without a newline) are reported too while they are at most PARTIAL_LIMIT bytes long; a
   * longer line is reported once, when complete, so the cost stays linear in its length. Of a
   * line over 1 MiB, only its first and last 64 KiB are reported (see blockText).
   */
  onLine(service: string, listener: LineListener, opts: ListenOptions = {}): () => void {
    return this.#service(service).listeners.add(listener, opts);
  }

  /** The service's most recent lines (both streams, in order). */
  lastLines(service: string): string[] {
    return this.#services.get(service)?.tail.lines() ?? [];
  }

  /** devlaunch's own line(s), set apart from service output; ahead of any held-back output. */
  system(text: string): void {
    this.#writes += 1;
    this.#outSink.urgent(
      Buffer.from(`${this.#systemPrefix}${text.split('\n').join(`\n${this.#systemPrefix}`)}\n`),
    );
  }

  /** Text printed as it is (a table), like system(); a final newline is added. */
  print(text: string): void {
    this.#writes += 1;
    this.#outSink.urgent(Buffer.from(text.endsWith('\n') ? text : `${text}\n`));
  }

  /** An error of devlaunch's own, to `err`, ahead of any held-back output. */
  error(text: string): void {
    this.#errSink ??= this.#makeErrSink();
    this.#writes += 1;
    this.#errSink.urgent(Buffer.from(text.endsWith('\n') ? text : `${text}\n`));
  }

  /**
   * Whether a progress line printed by progress() is still the last thing on the terminal
   * (nothing printed after it, nothing held back): the next one can replace it.
   */
  get progressIsLast(): boolean {
    return (
      this.#progress !== null &&
      this.#progress.at === this.#writes &&
      this.#outSink.backlog === 0 &&
      (this.#errSink?.backlog ?? 0) === 0
    );
  }

  /**
   * devlaunch's progress line (waiting for readiness). On a terminal it replaces the previous
   * one when that is still the last line (cursor up over its rows, clear to the end of the
   * screen), so waiting shows one line updated in place; otherwise it is a new line.
   */
  progress(text: string): void {
    const line = `${this.#systemPrefix}${text}`;
    const erase = this.progressIsLast ? this.#eraseProgress() : '';
    this.#outSink.urgent(Buffer.from(`${erase}${line}\n`));
    if (this.#out.isTTY !== true) {
      this.#writes += 1;
      this.#progress = null;
      return;
    }
    const columns = Math.max(1, this.#out.columns ?? 80);
    this.#progress = {
      at: this.#writes,
      rows: Math.max(1, Math.ceil(visibleWidth(line) / columns)),
    };
  }

  /** Takes the progress line away if it is still the last one (the wait is over). */
  clearProgress(): void {
    if (this.progressIsLast) this.#outSink.urgent(Buffer.from(this.#eraseProgress()));
    this.#progress = null;
  }

  #eraseProgress(): string {
    return `\u001b[${this.#progress?.rows ?? 1}A\r\u001b[J`;
  }

  /** A restart of a service: its log file gets a separator line. */
  markRestart(service: string, text = `restarted at ${new Date().toISOString()}`): void {
    this.#logs?.write(service, `--- ${text} ---\n`);
  }

  /**
   * The terminal is gone (SIGHUP): nothing more is written to it, whatever was pending for it
   * is dropped. Services are still drained and logged.
   */
  hangup(): void {
    muteTerminal();
    for (const sink of this.#terminals) sink.drop();
  }

  stats(): OutputStats {
    const out = this.#outSink.stats();
    return {
      bytes: this.#bytes,
      maxBuffered: out.maxMemory,
      spilled: out.spilled,
      dropped: out.dropped,
    };
  }

  /**
   * Resolves when every attached stream has ended, the log files are complete and closed, and
   * the readers have taken everything (or have taken nothing for a while: see STALLED_READER_MS).
   * `out` and `err` themselves are left open.
   */
  async close(): Promise<void> {
    if (this.#open > 0) await new Promise<void>((resolve) => this.#idle.push(resolve));
    await Promise.all([
      this.#logs?.close(),
      this.#outSink.close(STALLED_READER_MS),
      this.#errSink?.close(STALLED_READER_MS),
    ]);
  }

  /** One block of complete lines (see BlockSplitter); `body` is valid during the call only. */
  #emit(state: ServiceState, head: readonly Buffer[], headLength: number, body: Buffer): void {
    this.#bytes += headLength + body.length;
    const pieces = this.#pieces;
    let taken: Promise<void> | undefined;
    if (!this.#quiet) {
      this.#writes += 1;
      this.#prefixer.block(state.prefix, head, headLength, body, pieces);
      // The log of a long line waits until the terminal has it (see LogFiles.writeHeld).
      const end = pieces[pieces.length - 1];
      if (headLength > JOIN_LIMIT && this.#logs !== null && end !== undefined)
        taken = new Promise((resolve) => this.#onTaken.set(end, resolve));
      if (pieces.length !== 1) this.#outSink.writeAll(pieces);
      else this.#outSink.writeThrough(pieces[0] as Buffer);
      pieces.length = 0;
    }
    if (this.#logs !== null) {
      // A long line's own pieces are queued as they are and written in the background.
      const held = plainPieces(head, headLength, body, pieces);
      if (held > 0) this.#logs.writeHeld(state.name, pieces.slice(0, held), taken);
      let last = 0;
      for (let i = 0; i < pieces.length; i++) {
        const piece = pieces[i] as Buffer;
        // Only bytes in the read buffer or the flood routines' memory are reused: the rest (text
        // without its escape sequences) is queued as it is, not copied again.
        if (i >= held) this.#logs.write(state.name, piece, !transient(piece, body));
        if (piece.length > 0) last = piece[piece.length - 1] as number;
      }
      pieces.length = 0;
      // The unterminated last line of a stream is closed in the log.
      if (last !== 0 && last !== LF) this.#logs.write(state.name, '\n');
    }
    state.tail.add(head, headLength, body);
    if (state.listeners.size > 0) state.listeners.block(head, headLength, body);
  }

  #taken(bytes: Buffer): void {
    const resolve = this.#onTaken.get(bytes);
    if (resolve === undefined) return;
    this.#onTaken.delete(bytes);
    resolve();
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
    return {
      name,
      prefix: new Prefix(prefix),
      tail: new Tail(this.#tailSize),
      listeners: new LineListeners(name),
    };
  }
}
