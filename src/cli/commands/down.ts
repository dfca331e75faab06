/**
 * `devlaunch down [SERVICE...]`: stop the project's running session from anywhere
 * (app/down.ts); returns once every process is gone and every port binds.
 */
import { stopSessions } from '../../app/down.js';
import type { DownArgs } from '../../app/options.js';
import { ExitCode } from '../../errors.js';
import { commandContext } from '../say.js';

export async function run(args: DownArgs): Promise<number> {
  await stopSessions(args, commandContext(args));
  return ExitCode.ok;
}
