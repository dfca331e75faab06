/** Turns anything thrown out of a command into a message on stderr and an exit code. */
import { isDevlaunchError } from '../errors.js';
import { paint } from '../output/colors.js';

export function reportError(error: unknown, argv: string[]): number {
  const color = paint(process.stderr, !argv.includes('--no-color'));
  if (isDevlaunchError(error)) {
    process.stderr.write(`${color.red('devlaunch:')} ${error.message}\n`);
    if (error.hint) process.stderr.write(`${color.dim('hint:')} ${error.hint}\n`);
    return error.exitCode;
  }
  // Not a user error: a bug. Keep the stack so it can be reported.
  process.stderr.write(`${color.red('devlaunch: internal error')}\n`);
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  return 1;
}
