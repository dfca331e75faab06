/**
 * Which sessions `down` stops (pure). The project's main (locked) session when one runs; with
 * none, the one `--dynamic` session if exactly one runs — with several, none: `down` cannot
 * tell which was meant and lists them. `--all` is every session, `--session ID` that one.
 * Sessions whose supervisor is gone are always included: what they left behind is ours to stop.
 */
import type { SessionLiveness } from './reap.js';

export type Found = Exclude<SessionLiveness, { kind: 'corrupt' }>;

export type Targets =
  | { kind: 'stop'; sessions: Found[] }
  /** Several `--dynamic` sessions and no main one: stop none, list these. `orphans` still go. */
  | { kind: 'ambiguous'; running: Found[]; orphans: Found[] }
  | { kind: 'unknown-id'; id: string; known: Found[] };

export function chooseTargets(
  found: readonly Found[],
  flags: { all: boolean; session: string | undefined },
): Targets {
  if (flags.session !== undefined) {
    const one = found.filter((f) => f.state.session === flags.session);
    return one.length > 0
      ? { kind: 'stop', sessions: one }
      : { kind: 'unknown-id', id: flags.session, known: [...found] };
  }
  if (flags.all) return { kind: 'stop', sessions: [...found] };
  const orphans = found.filter((f) => f.kind === 'stale');
  const main = found.filter((f) => f.kind === 'live' && !f.state.dynamic);
  const dynamic = found.filter((f) => f.kind === 'live' && f.state.dynamic);
  if (main.length > 0) return { kind: 'stop', sessions: [...main, ...orphans] };
  if (dynamic.length > 1) return { kind: 'ambiguous', running: dynamic, orphans };
  return { kind: 'stop', sessions: [...dynamic, ...orphans] };
}

/**
 * The command that stops a session, as hints print it: it must work when typed in the same
 * place. A `--dynamic` session is named by id (several may run); a manifest given with -f is
 * given again.
 */
export function stopCommand(
  session: { id: string; dynamic: boolean },
  file: string | undefined,
): string {
  const parts = ['devlaunch down'];
  if (file !== undefined && file !== '') parts.push(`-f ${shellWord(file)}`);
  if (session.dynamic) parts.push(`--session ${session.id}`);
  return parts.join(' ');
}

function shellWord(text: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}
