/**
 * `devlaunch run [SERVICE...] -- CMD...`: start the services, run CMD with every injected
 * variable, tear everything down, exit with CMD's code (app/run.ts).
 */
import type { RunArgs } from '../../app/options.js';
import { runWithServices } from '../../app/run.js';
import { ignoreBrokenOutput, terminal } from '../terminal.js';

export async function run(args: RunArgs): Promise<number> {
  return runWithServices(args, terminal(args), ignoreBrokenOutput);
}
