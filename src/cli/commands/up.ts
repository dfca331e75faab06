/**
 * `devlaunch up [SERVICE...]`: start the services in dependency order, stream their output, and
 * stay in the foreground until Ctrl+C, SIGTERM, a closing terminal, or a failing service.
 */
import { openSession } from '../../session/open-session.js';
import { ignoreBrokenOutput, onStopSignals } from '../../supervisor/signals.js';
import type { UpArgs } from '../args.js';

export async function run(args: UpArgs): Promise<number> {
  const session = await openSession({ args, services: args.services, quiet: false });
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
