/**
 * A nudge: SIGUSR2 from one devlaunch to another (a `down` to a running supervisor), saying
 * "a request file waits for you". POSIX only: Windows has no user signals, so there the
 * receiver polls for the file instead, and a nudge does nothing.
 */

/** Nudges `pid`; a process already gone is no error (its request file is then a leftover). */
export function nudge(pid: number): void {
  if (process.platform === 'win32') return;
  try {
    process.kill(pid, 'SIGUSR2');
  } catch {}
}

/** Calls `handler` on each nudge to this process. Returns a function that stops listening. */
export function onNudge(handler: () => void): () => void {
  if (process.platform === 'win32') return () => {};
  process.on('SIGUSR2', handler);
  return () => {
    process.off('SIGUSR2', handler);
  };
}
