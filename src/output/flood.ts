/**
 * The output path's work on every byte of a flood, in WebAssembly (flood.wat, assembled into the
 * bundle by the build): the terminal form of a block (a prefix before every line) and its log
 * form (escape sequences taken out), 16 bytes at a time, without making a JavaScript string or
 * any other garbage. One instance serves every service: JavaScript runs one call at a time, and
 * each call takes the block in, and hands the result out, before it returns.
 */
import wasm from './flood.wat';

/** The routines' memory layout (flood.wat). */
const PREFIX_MAX = 4096;
const IN = 4096;
const IN_SIZE = 256 << 10;
/** Where the services' output is read (input()): apart from IN, which a copied block takes. */
const READ = 270336;
const OUT = 536576;
const OUT_END = OUT + (512 << 10);

interface Exports {
  memory: WebAssembly.Memory;
  in: WebAssembly.Global;
  out: WebAssembly.Global;
  lines(inEnd: number, outEnd: number, prefixLength: number): void;
  plain(inEnd: number): void;
}

/** Receives each part of the result: bytes `[start, end)` of `memory`, valid during the call. */
export type PartListener = (memory: Buffer, start: number, end: number) => void;

export class Flood {
  /** The longest prefix the routines take. */
  readonly prefixMax = PREFIX_MAX;
  readonly #x: Exports;
  readonly #memory: Buffer;
  /** The prefix bytes now in the routines' memory. */
  #prefix: Buffer | null = null;

  constructor(x: Exports) {
    this.#x = x;
    // The memory is never grown, so this view stays valid.
    this.#memory = Buffer.from(x.memory.buffer);
  }

  /**
   * The terminal form of the lines of `block` from `from` on, whatever they hold (prefixer.ts):
   * each line behind `prefix` and closed with a newline ('\r' before it dropped), a line of
   * escape sequences only passed on as it is. False, and nothing done, when the lines do not
   * fit the routine's input (more than 256 KiB not read into input()).
   */
  lines(prefix: Buffer, block: Buffer, from: number, onPart: PartListener): boolean {
    const start = this.#place(block, from);
    if (start === -1) return false;
    this.#usePrefix(prefix);
    this.#run(start, start + block.length - from, prefix, onPart);
    return true;
  }

  /**
   * The log form of `block` (blocks.ts plainBlock): the same bytes without escape sequences,
   * lines of escape sequences only left out. A view of the routines' memory, valid until the
   * next call: null when the block does not fit the routine's input.
   */
  plain(block: Buffer): Buffer | null {
    const start = this.#place(block, 0);
    if (start === -1) return null;
    const x = this.#x;
    x.in.value = start;
    x.out.value = OUT;
    x.plain(start + block.length);
    return this.#memory.subarray(OUT, x.out.value as number);
  }

  /** Whether `bytes` lie in the routines' memory (input(), or a result of plain()). */
  holds(bytes: Uint8Array): boolean {
    return bytes.buffer === this.#memory.buffer;
  }

  /**
   * Memory for reading the services' output into (up to IN_SIZE bytes): the routines take a
   * block read there where it lies.
   */
  input(): Buffer {
    return this.#memory.subarray(READ, READ + IN_SIZE);
  }

  /** Where `block` from `from` on lies in the input area, copied there if need be; -1: too big. */
  #place(block: Buffer, from: number): number {
    if (this.#inInput(block)) return block.byteOffset + from;
    if (block.length - from > IN_SIZE) return -1;
    block.copy(this.#memory, IN, from);
    return IN;
  }

  /** Whether `block` was read into input() (where the routines take it as it lies). */
  #inInput(block: Buffer): boolean {
    return this.holds(block) && block.byteOffset >= IN && block.byteOffset < OUT;
  }

  #usePrefix(prefix: Buffer): void {
    if (this.#prefix === prefix) return;
    prefix.copy(this.#memory, 0);
    this.#prefix = prefix;
  }

  /** `lines` over input bytes `[start, end)`, its output handed on a part per call. */
  #run(start: number, end: number, prefix: Buffer, onPart: PartListener): void {
    const x = this.#x;
    x.in.value = start;
    // More than one call only when prefixes make the output outgrow its area.
    do {
      const from = x.in.value as number;
      x.out.value = OUT;
      x.lines(end, OUT_END, prefix.length);
      if ((x.in.value as number) === from && from < end) throw new Error('flood: no progress');
      onPart(this.#memory, OUT, x.out.value as number);
    } while ((x.in.value as number) < end);
  }
}

/** Made on first use; null where WebAssembly is not available. */
let routine: Flood | null | undefined;

/** The routines, or null where WebAssembly is off (`node --jitless`): JavaScript does it then. */
export function flood(): Flood | null {
  if (routine !== undefined) return routine;
  try {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(wasm));
    routine = new Flood(instance.exports as unknown as Exports);
  } catch {
    routine = null;
  }
  return routine;
}
