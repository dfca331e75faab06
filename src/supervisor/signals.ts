/**
 * The signals that end a session: Ctrl+C (SIGINT), SIGTERM, a closing terminal (SIGHUP) and on
 * Windows Ctrl+Break (SIGBREAK); Node also reports a closing console window as SIGHUP there.
 *
 * Services run in their own process groups, so the terminal's Ctrl+C reaches devlaunch only;
 * devlaunch then sends each service its stop signal exactly once, on purpose. A second Ctrl+C
 * skips the grace period.
 */
import { ExitCode } from '../errors.js';
import type { StopReason } from '../output/events.js';

export type StopSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP' | 'SIGBREAK';

export interface SignalSource {
  on(signal: StopSignal, listener: () => void): unknown;
  off(signal: StopSignal, listener: () => void): unknown;
}

/**
 * Calls `handler` for every stop signal with how many have arrived so far (1 for the first).
 * Returns a function that removes the handlers.
 */
export function onStopSignals(
  handler: (signal: StopSignal, count: number) => void,
  source: SignalSource = process as unknown as SignalSource,
  platform: NodeJS.Platform = process.platform,
): () => void {
  const signals: StopSignal[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  if (platform === 'win32') signals.push('SIGBREAK');
  let count = 0;
  const listeners = signals.map((signal) => {
    const listener = () => {
      count += 1;
      handler(signal, count);
    };
    source.on(signal, listener);
    return [signal, listener] as const;
  });
  return () => {
    for (const [signal, listener] of listeners) source.off(signal, listener);
  };
}

/** The contract's exit code after a clean stop caused by `signal`. */
export function exitCodeOf(signal: StopSignal): number {
  if (signal === 'SIGTERM') return 143;
  if (signal === 'SIGHUP') return 129;
  return 130; // SIGINT, and SIGBREAK (Ctrl+Break) on Windows
}

/** The session's exit code once it stopped for `reason`; `failed`: a service ended failed. */
export function exitCodeFor(reason: StopReason, failed: boolean): number {
  switch (reason.kind) {
    case 'signal':
      return exitCodeOf(reason.signal);
    case 'failure':
      return ExitCode.serviceFailed;
    case 'down':
      return ExitCode.ok;
    case 'command-exited':
    case 'finished':
      return failed ? ExitCode.serviceFailed : ExitCode.ok;
  }
}
