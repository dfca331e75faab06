/**
 * `devlaunch init`: writes a starter `launcher.yaml` in the current directory and makes git
 * ignore `.devlaunch/` (app/init.ts).
 */
import { initProject } from '../../app/init.js';
import type { GlobalArgs } from '../../app/options.js';
import { ExitCode } from '../../errors.js';
import { say } from '../say.js';

export async function run(args: GlobalArgs): Promise<number> {
  for (const message of initProject(process.cwd())) say(args, message);
  return ExitCode.ok;
}
