/** The process as the use cases see it (app/options.ts `Terminal`): cli/ is its only reader. */
import type { Terminal } from '../app/options.js';
import { colorEnabled } from '../output/colors.js';
import { isInteractive } from '../output/prompt.js';

/** Reads the process once; `color`: true for --color, false for --no-color, else undefined. */
export function terminal(args: { color: boolean | undefined }): Terminal {
  const env = { ...process.env };
  const { stdin, stdout, stderr } = process;
  return {
    stdin,
    stdout,
    stderr,
    env,
    cwd: process.cwd(),
    script: process.argv[1] ?? 'devlaunch',
    interactive: isInteractive(stdin, stdout),
    color: {
      stdout: colorEnabled(stdout, args.color, env),
      stderr: colorEnabled(stderr, args.color, env),
    },
  };
}

/**
 * After a terminal closes, writing to it fails (EIO, EPIPE). devlaunch must still tear down
 * cleanly, so write errors on its own stdout and stderr are ignored from then on.
 */
export function ignoreBrokenOutput(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', () => {});
  }
}
