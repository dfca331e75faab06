/**
 * Signal names for `stop_signal`. The list is fixed rather than read from `os.constants` so a
 * manifest is valid (or not) the same way on every platform; where a signal does not exist
 * (Windows has no SIGUSR1) the supervisor maps it to its forced stop.
 */
import { closest } from './suggest.js';

export const SIGNALS = [
  'SIGHUP',
  'SIGINT',
  'SIGQUIT',
  'SIGILL',
  'SIGTRAP',
  'SIGABRT',
  'SIGBUS',
  'SIGFPE',
  'SIGKILL',
  'SIGUSR1',
  'SIGSEGV',
  'SIGUSR2',
  'SIGPIPE',
  'SIGALRM',
  'SIGTERM',
  'SIGCHLD',
  'SIGCONT',
  'SIGSTOP',
  'SIGTSTP',
  'SIGTTIN',
  'SIGTTOU',
  'SIGURG',
  'SIGXCPU',
  'SIGXFSZ',
  'SIGVTALRM',
  'SIGPROF',
  'SIGWINCH',
  'SIGIO',
  'SIGPWR',
  'SIGSYS',
  'SIGBREAK',
] as const;

const KNOWN = new Set<string>(SIGNALS);

/** `term`, `TERM`, `sigterm` → `SIGTERM`; null for a name that is not a signal. */
export function normalizeSignal(name: string): string | null {
  const upper = name.trim().toUpperCase();
  const full = upper.startsWith('SIG') ? upper : `SIG${upper}`;
  return KNOWN.has(full) ? full : null;
}

/** The known signal closest to a mistyped name, e.g. `SIGTREM` → `SIGTERM`. */
export function suggestSignal(name: string): string | undefined {
  const upper = name.trim().toUpperCase();
  return closest(upper.startsWith('SIG') ? upper : `SIG${upper}`, SIGNALS);
}
