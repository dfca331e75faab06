/**
 * One full garbage collection of devlaunch's own heap once every service is ready. Starting a
 * session leaves megabytes of garbage (the manifest's parse, the port checks, the plan) that V8
 * would otherwise keep for a long while: its memory reducer gets to it some 16 s later, and not
 * at all while anything keeps allocating. Measured with 50 services: 5 MB less private memory
 * within a second of ready (docs/benchmarks.md). A session runs for hours; the collection costs
 * 20-55 ms of CPU (most of it page faults of the compaction), once, a second after the ready
 * table is out: not while the services finish starting, and not at all in a session that ends
 * (every service exited, Ctrl+C) before then — there the heap goes with the process. Nor while
 * the services print a lot: a full collection stops devlaunch for tens of milliseconds (150 ms
 * was measured with a 50 MB line in flight), and every service's output would wait for it.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { EventSink } from '../output/events.js';
import { onOutputVolume, outputVolume } from '../output/reader.js';

type Collect = () => void;

/** How long after all-ready the collection waits: the services are settling meanwhile. */
export const COLLECT_AFTER_READY_MS = 1000;

/**
 * Output over one wait that puts the collection off by another wait: a flood, or a long line
 * still going out. A dev server's ordinary logging is far below it.
 */
export const BUSY_OUTPUT_BYTES = 1 << 20;

/**
 * A subscriber to a session's events: collects once, `COLLECT_AFTER_READY_MS` after its first
 * `all-ready`, unless the session has begun to stop by then; while the services printed
 * `BUSY_OUTPUT_BYTES` or more during the last wait, it waits once more (`volume`: bytes printed
 * so far).
 */
export function collectOnceReady(
  collect: () => void = collectGarbage,
  volume: () => number = outputVolume,
): EventSink {
  let done = false;
  let timer: NodeJS.Timeout | undefined;
  let seen = 0;
  const wait = () => {
    seen = volume();
    timer = setTimeout(() => {
      if (volume() - seen >= BUSY_OUTPUT_BYTES) wait();
      else collect();
    }, COLLECT_AFTER_READY_MS);
    timer.unref();
  };
  return (event) => {
    if (event.type === 'stopping') {
      done = true;
      clearTimeout(timer);
      return;
    }
    if (done || event.type !== 'all-ready') return;
    done = true;
    wait();
  };
}

/**
 * A full, compacting collection. Node exposes `gc` only with --expose-gc, which a context reads
 * as it is made: the flag is set for a moment to make one, then set back, as is the compaction
 * flag, so the flags V8's code cache is keyed by are the same before and after. Never throws.
 */
export function collectGarbage(): void {
  try {
    let gc = (globalThis as { gc?: Collect }).gc;
    if (typeof gc !== 'function') {
      setFlagsFromString('--expose-gc');
      try {
        gc = runInNewContext('gc') as Collect;
      } finally {
        setFlagsFromString('--no-expose-gc');
      }
    }
    // Compacting too: the pages start-up left half empty are given back.
    setFlagsFromString('--compact-on-every-full-gc');
    try {
      gc();
    } finally {
      setFlagsFromString('--no-compact-on-every-full-gc');
    }
  } catch {
    // Only memory is at stake.
  }
}

/**
 * Service output after which V8's optimizing compiler is turned on again (cli/boot.ts turns it
 * off for up and run). 16 MiB is minutes of a chatty dev server's logging, or a fraction of a
 * second of a flood.
 */
export const OPTIMIZE_AFTER_OUTPUT_BYTES = 16 << 20;

/**
 * up and run start without TurboFan: what it would optimize during start-up costs 4-6 MB of
 * memory for the session's whole life, and brings nothing to a session printing little. A
 * session whose services print a lot is another matter: the output path, optimized, costs about
 * a quarter less CPU per line (docs/benchmarks.md). So TurboFan comes back once the services
 * have printed `OPTIMIZE_AFTER_OUTPUT_BYTES`. At exit it is turned off again before the code
 * cache is written: an entry is kept with the flags it is used with at the next start.
 */
export function optimizeOnHeavyOutput(bytes = OPTIMIZE_AFTER_OUTPUT_BYTES): void {
  onOutputVolume(bytes, () => {
    try {
      setFlagsFromString('--turbofan');
      process.prependListener('exit', () => setFlagsFromString('--no-turbofan'));
    } catch {
      // Only speed is at stake.
    }
  });
}
