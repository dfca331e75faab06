/** Turns anything thrown out of a command into a message on stderr and an exit code. */
import { isDevlaunchError } from '../errors.js';
import { paint } from '../output/colors.js';

export function reportError(error: unknown, argv: string[]): number {
  const wanted = argv.includes('--no-color') ? false : argv.includes('--color') ? true : undefined;
  const color = paint(process.stderr, wanted);
  if (isDevlaunchError(error)) {
    process.stderr.write(`${color.red('devlaunch:')} ${error.message}\n`);
    if (error.hint) process.stderr.write(`${color.dim('hint:')} ${error.hint}\n`);
    return error.exitCode;
  }
  if (error instanceof Error && error.name === 'StoppedByDown') {
    process.stderr.write(`${color.dim('devlaunch')} ${error.message}\n`);
    return 0; // a clean stop asked for by down
  }
  const state = stateFileError(error);
  if (state) {
    process.stderr.write(`${color.red('devlaunch:')} ${state.message}\n`);
    process.stderr.write(`${color.dim('hint:')} ${state.hint}\n`);
    return 1;
  }
  // Not a user error: a bug. Keep the stack so it can be reported.
  process.stderr.write(`${color.red('devlaunch: internal error')}\n`);
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  return 1;
}

/**
 * A file system error on devlaunch's own state folder (made unusable while devlaunch ran, or in
 * a way the checks before start-up cannot see): the path and the fix, not a stack trace.
 */
function stateFileError(error: unknown): { message: string; hint: string } | null {
  const e = error as NodeJS.ErrnoException | null;
  if (typeof e?.code !== 'string' || typeof e.path !== 'string') return null;
  const at = e.path.search(/[\\/]\.devlaunch([\\/]|$)/);
  if (at < 0) return null;
  const dir = e.path.slice(0, at + '/.devlaunch'.length);
  return {
    message: `cannot use ${e.path} (${e.code}${e.syscall ? ` in ${e.syscall}` : ''})`,
    hint: `devlaunch keeps its session state in ${dir}: make it a writable folder again (or remove it) and retry.`,
  };
}
