/**
 * `devlaunch run [SERVICE...] -- CMD...`, the use case: the CI entry point. Start the services,
 * wait until they are ready, run CMD with every injected variable (`BACKEND_URL`, …) in its
 * environment and the terminal attached, tear everything down, and exit with CMD's code — or with
 * devlaunch's own code when the services fail first.
 */
import { constants } from 'node:os';
import { DevlaunchError, ExitCode } from '../errors.js';
import { type SpawnedCommand, spawnCommand, stopTree } from '../process/index.js';
import { onStopSignals, type StopSignal } from '../supervisor/signals.js';
import { openSession } from './open-session.js';
import type { RunArgs, Terminal } from './options.js';

/** How long CMD gets to exit after a stop signal before its tree is killed. */
const COMMAND_GRACE_MS = 5000;

/**
 * Runs the session and CMD; resolves the exit code. `ignoreBrokenOutput` is called once the
 * services have started: from then on a closed terminal must not stop the teardown.
 */
export async function runWithServices(
  args: RunArgs,
  term: Terminal,
  ignoreBrokenOutput: () => void,
): Promise<number> {
  if (args.command.length === 0) {
    throw new DevlaunchError('USAGE', 'devlaunch run needs a command after --', {
      hint: 'For example: devlaunch run --dynamic -- npm test',
    });
  }
  // A service failing while CMD runs stops CMD and everything else.
  const session = await openSession({
    args,
    services: args.services,
    quiet: args.quiet,
    dashboard: false,
    term,
    exitOnFailure: true,
  });
  ignoreBrokenOutput();
  const { supervisor } = session;
  let command: SpawnedCommand | null = null;
  let stoppedBy: StopSignal | null = null;
  const removeSignals = onStopSignals((signal, count) => {
    stoppedBy ??= signal;
    // A closed terminal: write nothing more to it (Node can abort on a hung-up terminal). The
    // shell and the kernel may both send SIGHUP: a second one is no request to skip the grace.
    if (signal === 'SIGHUP') session.output.hangup();
    supervisor.requestStop({ kind: 'signal', signal }, count > 1 && signal !== 'SIGHUP');
    // CMD shares devlaunch's terminal: a Ctrl+C from the terminal has reached it already.
    // Any other signal was meant for devlaunch alone, so pass it on.
    if (command && signal !== 'SIGINT')
      command.child.kill(signal === 'SIGBREAK' ? 'SIGINT' : signal);
  });
  try {
    const sessionEnded = supervisor.run();
    const ready = await supervisor.allReady.reached;
    if (!ready) return (await sessionEnded).exitCode;

    command = spawnCommand(args.command, { env: session.commandEnv, cwd: term.cwd });
    const cmd = command;
    const outcome = await Promise.race([
      cmd.exited.then((exit) => {
        if (exit.error) term.stderr.write(`devlaunch: ${exit.error}\n`);
        return { kind: 'command' as const, exit };
      }),
      sessionEnded.then((result) => ({ kind: 'session' as const, result })),
    ]);
    if (outcome.kind === 'session') {
      // The services stopped first (a failure, or a signal): CMD must not outlive them, and
      // does not: `finally` stops it before the session closes.
      return stoppedBy ? outcome.result.exitCode : ExitCode.serviceFailed;
    }
    supervisor.requestStop({ kind: 'command-exited', code: outcome.exit.code });
    const result = await sessionEnded;
    if (stoppedBy) return result.exitCode;
    return commandExitCode(outcome.exit.code, outcome.exit.signal);
  } finally {
    removeSignals();
    if (command) await stopCommand(command);
    await session.close();
  }
}

async function stopCommand(cmd: SpawnedCommand): Promise<void> {
  if (cmd.pid <= 0) return;
  await stopTree(
    { pid: cmd.pid, pgid: null, startTime: cmd.startTime },
    { signal: 'SIGTERM', timeoutMs: COMMAND_GRACE_MS },
  );
  await cmd.exited;
}

/** A command killed by a signal exits like it would in a shell: 128 + the signal's number. */
function commandExitCode(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  const number = signal ? constants.signals[signal] : undefined;
  return number === undefined ? 1 : 128 + number;
}
