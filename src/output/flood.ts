/**
 * The prefixer's flood path (prefix.wat, assembled into the bundle by the build): puts a prefix
 * before every line of a block, 16 bytes at a time, without making a JavaScript string or any
 * other garbage. One instance serves every service: JavaScript runs one call at a time, and each
 * call takes the block in, and hands the result out, before it returns.
 */
import wasm from './prefix.wat';

/** The routine's memory layout (prefix.wat). */
const PREFIX_MAX = 4096;
const IN = 4096;
const IN_SIZE = 256 << 10;
const OUT = 327680;
const OUT_END = OUT + (512 << 10);

interface Exports {
  memory: WebAssembly.Memory;
  in: WebAssembly.Global;
  out: WebAssembly.Global;
  start: WebAssembly.Global;
  prefix(inEnd: number, outEnd: number, prefixLength: number): void;
}

/** Receives each part of the result: bytes `[start, end)` of `memory`, valid during the call. */
export type PartListener = (memory: Buffer, start: number, end: number) => void;

export class Flood {
  /** The longest prefix the routine takes. */
  readonly prefixMax = PREFIX_MAX;
  readonly #x: Exports;
  readonly #memory: Buffer;
  /** The prefix bytes now in the routine's memory. */
  #prefix: Buffer | null = null;

  constructor(x: Exports) {
    this.#x = x;
    // The memory is never grown, so this view stays valid.
    this.#memory = Buffer.from(x.memory.buffer);
  }

  /**
   * `prefix` before each line of `block` from `from` on (lines end in '\n'; the last may not,
   * and gets no newline here), the result handed to `onPart` in order, in one part or more.
   */
  prefix(prefix: Buffer, block: Buffer, from: number, onPart: PartListener): void {
    const x = this.#x;
    const memory = this.#memory;
    if (this.#prefix !== prefix) {
      prefix.copy(memory, 0);
      this.#prefix = prefix;
    }
    x.start.value = 1;
    // Read straight into the routine's memory (input()): nothing to copy in.
    if (block.buffer === memory.buffer && block.byteOffset >= IN) {
      this.#run(block.byteOffset + from, block.byteOffset + block.length, prefix.length, onPart);
      return;
    }
    for (let at = from; at < block.length; ) {
      const n = Math.min(block.length - at, IN_SIZE);
      block.copy(memory, IN, at, at + n);
      this.#run(IN, IN + n, prefix.length, onPart);
      at += n;
    }
  }

  /**
   * Memory for reading the services' output into (up to IN_SIZE bytes): the routine prefixes a
   * block read there where it lies.
   */
  input(): Buffer {
    return this.#memory.subarray(IN, IN + IN_SIZE);
  }

  /** The routine over input bytes `[start, end)` of its memory. */
  #run(start: number, end: number, prefixLength: number, onPart: PartListener): void {
    const x = this.#x;
    x.in.value = start;
    // A part of output per call: more than one only when prefixes make it outgrow OUT.
    do {
      x.out.value = OUT;
      x.prefix(end, OUT_END, prefixLength);
      onPart(this.#memory, OUT, x.out.value as number);
    } while ((x.in.value as number) < end);
  }
}

/** Made on first use; null where WebAssembly is not available. */
let routine: Flood | null | undefined;

/** The routine, or null where WebAssembly is off (`node --jitless`): prefix line by line then. */
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
