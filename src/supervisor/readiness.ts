/**
 * Waiting until a service is ready. Polling starts at a few milliseconds and doubles up to the
 * check's `interval`, so a fast service is noticed within tens of milliseconds while a slow one
 * is not hammered. A service that exits while being waited on fails at once, not at its timeout.
 */
import type { ReadyCheck } from '../manifest/types.js';
import { httpProber, httpTargets, type Prober, tcpProber } from './probes.js';

export interface ReadyContext {
  host: string;
  /** The service's resolved primary port (or its first named port), null without ports. */
  port: number | null;
  /** Subscribes to the service's output lines, partial lines included. */
  onLine: (listener: (text: string, partial: boolean) => void) => () => void;
  /** Runs a `ready.command` once and resolves with its exit code. */
  runCheck: (command: string | string[], signal: AbortSignal) => Promise<number | null>;
  /** Resolves when the service's process has exited. */
  exited: Promise<{ code: number | null; signal: string | null }>;
  /** Aborted when the session stops while this service is still being waited on. */
  signal: AbortSignal;
  /** Called about once a second while waiting, for progress output, with the last probe's result. */
  onWaiting?: (elapsedMs: number, last: string | null) => void;
  /** Clock, injectable for tests. Default `performance.now`. */
  now?: () => number;
}

export type ReadyOutcome =
  | { ok: true; elapsedMs: number }
  | { ok: false; reason: 'exited'; code: number | null; signal: string | null }
  | { ok: false; reason: 'timeout'; elapsedMs: number; last?: string | null }
  | { ok: false; reason: 'aborted' };

const FIRST_DELAY_MS = 5;
/**
 * The reason a wait or a phase is aborted with. Without one, abort() makes a DOMException and
 * captures its stack: an object per service and state change that the aborted signal then
 * keeps for as long as anything holds the signal.
 */
export const OVER = 'over';
const FAST_INTERVAL_MS = 20;
const FAST_PHASE_MS = 2000;

/** Human description of a check, for progress and failure messages. */
export function describeCheck(check: ReadyCheck, port: number | null): string {
  if ('tcp' in check) return `tcp :${port}`;
  if ('http' in check)
    return `http ${check.http}${check.http.startsWith('/') ? ` on :${port}` : ''}`;
  if ('log' in check) return `log /${check.log}/`;
  return `command ${Array.isArray(check.command) ? check.command.join(' ') : check.command}`;
}

export async function waitReady(check: ReadyCheck, ctx: ReadyContext): Promise<ReadyOutcome> {
  const now = ctx.now ?? (() => performance.now());
  const started = now();
  const local = new AbortController();
  const onAbort = () => local.abort(OVER);
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  const seen = { last: null as string | null };
  try {
    const exited = ctx.exited.then(
      (e): ReadyOutcome => ({ ok: false, reason: 'exited', code: e.code, signal: e.signal }),
    );
    const aborted = new Promise<ReadyOutcome>((resolve) => {
      if (local.signal.aborted) resolve({ ok: false, reason: 'aborted' });
      local.signal.addEventListener('abort', () => resolve({ ok: false, reason: 'aborted' }));
    });
    const timedOut = new Promise<ReadyOutcome>((resolve) => {
      const timer = setTimeout(
        () =>
          resolve({ ok: false, reason: 'timeout', elapsedMs: now() - started, last: seen.last }),
        check.timeout,
      );
      local.signal.addEventListener('abort', () => clearTimeout(timer));
    });
    const progress = setInterval(() => ctx.onWaiting?.(now() - started, seen.last), 1000);
    local.signal.addEventListener('abort', () => clearInterval(progress));
    const became = becomeReady(check, ctx, local.signal, seen).then(
      (ok): ReadyOutcome =>
        ok ? { ok: true, elapsedMs: now() - started } : { ok: false, reason: 'aborted' },
    );
    return await Promise.race([became, exited, timedOut, aborted]);
  } finally {
    local.abort(OVER);
    ctx.signal.removeEventListener('abort', onAbort);
  }
}

/** The probe a `tcp` or `http` check repeats; null for the other kinds. */
export function proberFor(check: ReadyCheck, host: string, port: number | null): Prober | null {
  if ('tcp' in check) {
    return port === null
      ? async () => ({ ok: false, detail: 'no port to connect to' })
      : tcpProber(host, port);
  }
  if ('http' in check) return httpProber(httpTargets(check.http, host, port));
  return null;
}

/** Resolves true once the check passes, false if aborted first. `seen.last`: the last probe's result. */
function becomeReady(
  check: ReadyCheck,
  ctx: ReadyContext,
  signal: AbortSignal,
  seen: { last: string | null },
): Promise<boolean> {
  if ('log' in check) return logMatch(new RegExp(check.log), ctx, signal);
  let attempt: () => Promise<boolean>;
  const prober = proberFor(check, ctx.host, ctx.port);
  if (prober !== null) {
    attempt = async () => {
      const result = await prober();
      seen.last = result.detail;
      return result.ok;
    };
    // A server usually prints its "listening on…" line right after it listens: probing then
    // notices it within a millisecond instead of at the next poll.
    return poll(attempt, check.interval, signal, (wake) => ctx.onLine(wake));
  }
  if ('command' in check) {
    const command = check.command;
    attempt = async () => {
      const code = await ctx.runCheck(command, signal);
      seen.last = `exit code ${code ?? 'none'}`;
      return code === 0;
    };
  } else {
    return Promise.resolve(false);
  }
  return poll(attempt, check.interval, signal);
}

/**
 * Calls `attempt` until it succeeds: at growing intervals, and also as soon as `onOutput`
 * reports output while it waits. At most one wait in two is cut short that way, so a service
 * that prints all the time is probed at most twice as often as a quiet one, never in a loop.
 */
export async function poll(
  attempt: () => Promise<boolean>,
  maxDelay: number,
  signal: AbortSignal,
  onOutput?: (listener: () => void) => () => void,
): Promise<boolean> {
  const begun = performance.now();
  let delay = Math.min(FIRST_DELAY_MS, maxDelay);
  // Output since the last attempt began, and how to end the wait in progress.
  let printed = false;
  let wake: (() => void) | null = null;
  const unsubscribe = onOutput?.(() => {
    printed = true;
    wake?.();
  });
  let cutShort = false; // the last wait ended early: this one runs its course
  try {
    while (!signal.aborted) {
      printed = false;
      if (await attempt()) return !signal.aborted;
      if (onOutput === undefined || cutShort) {
        await sleep(delay, signal);
        cutShort = false;
      } else if (printed) {
        cutShort = true; // printed while the attempt ran: it may have missed the listen
      } else {
        cutShort = await cuttableSleep(delay, signal, (end) => {
          wake = end;
        });
        wake = null;
      }
      // Most dev servers are up within a couple of seconds: poll every 20 ms at most until then,
      // so readiness is noticed within tens of milliseconds; back off only for slow services.
      const cap =
        performance.now() - begun < FAST_PHASE_MS ? Math.min(maxDelay, FAST_INTERVAL_MS) : maxDelay;
      delay = Math.min(delay * 2, cap);
    }
    return false;
  } finally {
    unsubscribe?.();
  }
}

/** Waits `ms`, or less when `signal` is aborted first. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    // The listener goes with the timer: a long wait polls hundreds of times on one signal.
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** As `sleep`; `onWake` gets a function that ends the wait early. True when that ended it. */
function cuttableSleep(
  ms: number,
  signal: AbortSignal,
  onWake: (wake: () => void) => void,
): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (woken: boolean) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(woken);
    };
    const onAbort = () => done(false);
    const timer = setTimeout(() => done(false), ms);
    signal.addEventListener('abort', onAbort, { once: true });
    onWake(() => done(true));
  });
}

function logMatch(pattern: RegExp, ctx: ReadyContext, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    const unsubscribe = ctx.onLine((text) => {
      if (pattern.test(text)) {
        unsubscribe();
        resolve(true);
      }
    });
    signal.addEventListener(
      'abort',
      () => {
        unsubscribe();
        resolve(false);
      },
      { once: true },
    );
  });
}

/** 850ms, 2s, 1.5s: a duration as a check's timeout is written. */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  return Number.isInteger(s) ? `${s}s` : `${s.toFixed(1)}s`;
}
