/**
 * The line listeners of one service (readiness by log line, the dashboard's live view). Lines
 * are decoded for them only: a service nobody listens to costs no strings. A listener with a
 * gate takes lines only while its gate is open; while it is shut, a block's lines are counted
 * (one pass over its bytes) and never decoded, so a page that can show 50,000 lines a second
 * does not make devlaunch decode the 2 million a second a flood prints.
 */
import { stripSequences } from './blocks.js';
import { blockText } from './line-splitter.js';

/** `text` is the line without escape sequences; `partial`: the line is still being printed. */
export type LineListener = (text: string, partial: boolean) => void;

/** Lets a listener take lines only while it wants them; the others are counted. */
export interface LineGate {
  /** false: the listener takes no lines for now. */
  open(): boolean;
  /** `lines` complete lines of `service` went by while the gate was shut. */
  skipped(service: string, lines: number): void;
}

export interface ListenOptions {
  /** Complete lines keep their escape sequences (colours), e.g. for the dashboard. Default false. */
  sequences?: boolean;
  gate?: LineGate;
}

const LF = 10;

export class LineListeners {
  readonly #listeners = new Map<LineListener, ListenOptions>();

  constructor(readonly service: string) {}

  get size(): number {
    return this.#listeners.size;
  }

  add(listener: LineListener, opts: ListenOptions): () => void {
    this.#listeners.set(listener, opts);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /** A block of complete lines (see BlockSplitter); `body` is valid during the call only. */
  block(head: readonly Buffer[], headLength: number, body: Buffer): void {
    let lines: string[] | null = null;
    let count = -1;
    for (const [listener, opts] of this.#listeners) {
      if (opts.gate !== undefined && !opts.gate.open()) {
        if (count === -1) count = linesIn(headLength, body);
        opts.gate.skipped(this.service, count);
        continue;
      }
      lines ??= blockText(head, headLength, body);
      for (const line of lines) listener(opts.sequences ? line : stripSequences(line), false);
    }
  }

  /** The line still arriving, decoded (`text()`) only if a listener takes it now. */
  partial(text: () => string): void {
    let partial: string | null = null;
    for (const [listener, opts] of this.#listeners) {
      if (opts.gate !== undefined && !opts.gate.open()) continue;
      partial ??= stripSequences(text());
      if (partial !== '') listener(partial, true);
    }
  }
}

/** How many lines a block holds: its newlines, and a last line without one (end of stream). */
function linesIn(headLength: number, body: Buffer): number {
  let count = 0;
  for (let at = body.indexOf(LF); at !== -1; at = body.indexOf(LF, at + 1)) count += 1;
  const unterminated = body.length > 0 ? body[body.length - 1] !== LF : headLength > 0;
  return unterminated ? count + 1 : count;
}
