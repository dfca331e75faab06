/**
 * One full garbage collection of devlaunch's own heap once every service is ready. Starting a
 * session leaves megabytes of garbage (the manifest's parse, the port checks, the plan) that V8
 * would otherwise keep for a long while: its memory reducer gets to it some 16 s later, and not
 * at all while anything keeps allocating. Measured with 50 services: 5 MB less private memory
 * within a second of ready (docs/benchmarks.md). A session runs for hours; the collection takes
 * a few milliseconds, once, after the ready table is out.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { EventSink } from '../output/events.js';

type Collect = () => void;

/** A subscriber to a session's events: collects once, after its first `all-ready`. */
export function collectOnceReady(collect: () => void = collectGarbage): EventSink {
  let done = false;
  return (event) => {
    if (done || event.type !== 'all-ready') return;
    done = true;
    // After the ready table and the events it set off (the dashboard's, the browser's).
    setTimeout(collect, 50).unref();
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
