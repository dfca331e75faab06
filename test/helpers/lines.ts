/** Line-by-line reading of a child's output in tests: every line kept, waits with a bound. */
import type { Readable } from 'node:stream';

/** Every line a stream has produced, and a way to wait for one matching a pattern. */
export class LineReader {
  readonly lines: string[] = [];
  private partial = '';
  private ended = false;
  private readonly waiters = new Set<() => void>();

  constructor(stream: Readable) {
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const parts = (this.partial + chunk).split('\n');
      this.partial = parts.pop() ?? '';
      this.lines.push(...parts);
      this.notify();
    });
    stream.on('close', () => this.finish());
    stream.on('end', () => this.finish());
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.partial !== '') this.lines.push(this.partial);
    this.partial = '';
    this.notify();
  }

  private notify(): void {
    for (const w of [...this.waiters]) w();
  }

  text(): string {
    return this.lines.join('\n') + (this.partial === '' ? '' : `\n${this.partial}`);
  }

  /** Resolves with the match of the first line (seen before or after the call) matching `re`. */
  waitFor(re: RegExp, timeoutMs = 5000): Promise<RegExpExecArray> {
    return new Promise((resolve, reject) => {
      const check = () => {
        for (const line of this.lines) {
          const m = re.exec(line);
          if (m !== null) return done(() => resolve(m));
        }
        if (this.ended) {
          done(() =>
            reject(new Error(`stream ended without a line matching ${re}:\n${this.text()}`)),
          );
        }
      };
      const timer = setTimeout(
        () =>
          done(() =>
            reject(new Error(`no line matching ${re} within ${timeoutMs} ms:\n${this.text()}`)),
          ),
        timeoutMs,
      );
      const done = (settle: () => void) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        settle();
      };
      this.waiters.add(check);
      check();
    });
  }
}

const readers = new WeakMap<Readable, LineReader>();

/** The stream's LineReader (created on first use: lines before that are not seen). */
export function linesOf(stream: Readable): LineReader {
  let reader = readers.get(stream);
  if (reader === undefined) {
    reader = new LineReader(stream);
    readers.set(stream, reader);
  }
  return reader;
}

/** Waits for a line of `stream` matching `re`; lines since the stream's first use count. */
export function waitForLine(
  stream: Readable,
  re: RegExp,
  timeoutMs = 5000,
): Promise<RegExpExecArray> {
  return linesOf(stream).waitFor(re, timeoutMs);
}
