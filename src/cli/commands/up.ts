/**
 * `devlaunch up [SERVICE...]`: start the services in dependency order, stream their output, and
 * stay in the foreground until Ctrl+C, SIGTERM, a closing terminal, or a failing service.
 * With -d, a background supervisor runs them instead (src/session/detach.ts).
 */
import { openSession } from '../../session/open-session.js';
import { ignoreBrokenOutput, onStopSignals } from '../../supervisor/signals.js';
import type { UpArgs } from '../args.js';

export async function run(args: UpArgs): Promise<number> {
  if (args.detach) {
    const { upDetached } = await import('../../session/detach.js');
    return upDetached(args);
  }
  // A background supervisor (started by up -d) writes service output to the log files only.
  const background = process.env.DEVLAUNCH_DETACHED_SESSION !== undefined;
  const session = await openSession({ args, services: args.services, quiet: background });
  ignoreBrokenOutput();
  const removeSignals = onStopSignals((signal, count) => {
    session.supervisor.requestStop({ kind: 'signal', signal }, count > 1);
  });
  try {
    const result = await session.supervisor.run();
    return result.exitCode;
  } finally {
    removeSignals();
    await session.close();
  }
}
