/**
 * `devlaunch up [SERVICE...]`: start the services in dependency order, stream their output, and
 * stay in the foreground until Ctrl+C, SIGTERM, a closing terminal, or a failing service.
 * With -d, a background supervisor runs them instead (src/app/detach.ts).
 */
import { openSession, type Session } from '../../app/open-session.js';
import type { UpArgs } from '../../app/options.js';
import { ExitCode } from '../../errors.js';
import { painter } from '../../output/colors.js';
import { launchPlanJson, renderLaunchPlan } from '../../output/launch-plan.js';
import { exitCodeOf, onStopSignals } from '../../supervisor/signals.js';
import { ignoreBrokenOutput, terminal } from '../terminal.js';

export async function run(args: UpArgs): Promise<number> {
  if (args.dryRun) return dryRunUp(args);
  // A background supervisor (started by up -d) writes service output to the log files only.
  const background = process.env.DEVLAUNCH_DETACHED_SESSION !== undefined;
  if (args.services.length > 0 && !args.dynamic && !background) {
    // Named services while a session runs: they join it (like docker compose up -d web).
    const { upIntoRunningSession } = await import('../../app/remote.js');
    const code = await upIntoRunningSession(args, terminal(args));
    if (code !== null) return code;
  }
  if (args.detach) {
    const { upDetached } = await import('../../app/detach.js');
    return upDetached(args, terminal(args));
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
    else process.exit(exitCodeOf(signal));
  });
  try {
    session = await openSession({
      args,
      services: args.services,
      quiet: background,
      dashboard: args.dashboard,
      term: terminal(args),
    });
  } catch (error) {
    removeSignals();
    throw error;
  }
  ignoreBrokenOutput();
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

/** `up --dry-run`: the plan on stdout; the exit code `up` would end with at that stage. */
async function dryRunUp(args: UpArgs): Promise<number> {
  const { dryRun } = await import('../../app/dry-run.js');
  const term = terminal(args);
  const { plan, error } = await dryRun(args, term.env, term.cwd, term.interactive);
  process.stdout.write(
    args.json
      ? `${JSON.stringify(launchPlanJson(plan), null, 2)}\n`
      : renderLaunchPlan(plan, painter(term.color.stdout)),
  );
  if (error) {
    process.stderr.write(`devlaunch up would stop: ${error.message}\n`);
    if (error.hint) process.stderr.write(`hint: ${error.hint}\n`);
    return error.exitCode;
  }
  if (!args.json) process.stderr.write('dry run: nothing was started, stopped or written\n');
  return ExitCode.ok;
}
