/** The process's standard streams, as the use cases get them: cli/ is their only reader. */
import type { Terminal } from '../app/options.js';

export function terminal(): Terminal {
  return { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };
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
