/**
 * Measurements shared by the scenarios: "stop it and time until everything is gone", and the
 * safety net that kills what a run left behind.
 */
import { allBindable } from './ports.mjs';
import { killMarked, sleep, survivors, within } from './proc.mjs';

/**
 * Sends `signal` to a running tool and times until the tool has exited, no process carrying
 * its marker is left and every port can be bound. Waits at most `capMs`; what is still alive
 * then is counted as survivors (and killed). `ms` is null when the cap was reached.
 */
export async function timeTeardown({ child, exited, mark, ports, capMs, signal = 'SIGINT' }) {
  const begun = performance.now();
  child.kill(signal);
  // No polling while the tool works: its exit is an event.
  const exit = await within(exited, capMs, null);
  let left = survivors(mark);
  let bindable = left.length === 0 && (await allBindable(ports));
  while (!bindable && performance.now() - begun < capMs) {
    await sleep(2);
    left = survivors(mark);
    bindable = left.length === 0 && (await allBindable(ports));
  }
  const ms = bindable ? performance.now() - begun : null;
  killMarked(mark);
  return { ms, survivors: left.length, toolExited: exit !== null, exitCode: exit?.code ?? null };
}

/** Kills whatever a run left (after a failure, or at the end), and waits until it is gone. */
export async function reap(mark) {
  for (let i = 0; i < 100 && killMarked(mark) > 0; i++) await sleep(10);
}
