/**
 * `devlaunch up [SERVICE...]`, the use case: start the services in dependency order, stream their
 * output, and stay in the foreground until Ctrl+C, SIGTERM, a closing terminal, or a failing
 * service. With -d, a background supervisor runs them instead (src/app/detach.ts).
 */

import { exitCodeOf, onStopSignals } from '../supervisor/signals.js';
import { openSession, type Session } from './open-session.js';
import type { Terminal, UpArgs } from './options.js';

/** What `up` needs from cli/ beyond the terminal. */
export interface UpHooks {
  /** This process is the background supervisor `up -d` started (output to log files only). */
  background: boolean;
  /** From now on a closed terminal must not stop the teardown. */
  ignoreBrokenOutput: () => void;
  /** Ends devlaunch now with `code` (a stop signal before anything was started). */
  exit: (code: number) => never;
}

/** `up` (not `--dry-run`): resolves the exit code once the session has ended. */
export async function up(args: UpArgs, term: Terminal, hooks: UpHooks): Promise<number> {
  const { background } = hooks;
  if (args.services.length > 0 && !args.dynamic && !background) {
    // Named services while a session runs: they join it (like docker compose up -d web).
    const { upIntoRunningSession } = await import('./remote.js');
    const code = await upIntoRunningSession(args, term);
    if (code !== null) return code;
  }
  if (args.detach) {
    const { upDetached } = await import('./detach.js');
    return upDetached(args, term, hooks.exit);
  }
  // Listen before anything starts: a Ctrl+C while ports are being resolved ends devlaunch with
  // the contract's exit code; nothing has been started yet, so there is nothing to stop.
  let session: Session | undefined;
  const removeSignals = onStopSignals((signal, count) => {
    // A closed terminal: write nothing more to it (Node can abort on a hung-up terminal). The
    // shell and the kernel may both send SIGHUP: a second one is no request to skip the grace.
    if (signal === 'SIGHUP') session?.output.hangup();
    if (session)
      session.supervisor.requestStop({ kind: 'signal', signal }, count > 1 && signal !== 'SIGHUP');
    else hooks.exit(exitCodeOf(signal));
  });
  try {
    session = await openSession({
      args,
      services: args.services,
      quiet: background,
      dashboard: args.dashboard,
      term,
    });
  } catch (error) {
    removeSignals();
    throw error;
  }
  hooks.ignoreBrokenOutput();
  try {
    const result = await session.supervisor.run();
    return result.exitCode;
  } finally {
    // Still listening while output is flushed: a late second SIGHUP (the shell and the kernel
    // both send one) must not kill devlaunch before it exits with its code.
    await session.close();
    removeSignals();
  }
}
