/**
 * `devlaunch logs [SERVICE...] [-f] [-n N]`: what the services of the current or last session
 * printed, prefixed as `up` prints it (app/logs.ts).
 */
import { showLogs } from '../../app/logs.js';
import type { LogsArgs } from '../../app/options.js';
import { ExitCode } from '../../errors.js';
import { colorEnabled } from '../../output/colors.js';
import { commandContext } from '../say.js';

export async function run(args: LogsArgs): Promise<number> {
  await showLogs(args, commandContext(args), {
    stream: process.stdout,
    color: colorEnabled(process.stdout, args.color),
  });
  return ExitCode.ok;
}
