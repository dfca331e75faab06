/**
 * `devlaunch env [SERVICE]`: the variables devlaunch gives the running session's services
 * (app/env.ts), as dotenv, `--json` or `--shell`.
 */
import { sessionEnv } from '../../app/env.js';
import type { EnvArgs } from '../../app/options.js';
import { ExitCode } from '../../errors.js';
import { dotenvLines, shellLines } from '../../output/env-text.js';
import { commandContext } from '../say.js';

export async function run(args: EnvArgs): Promise<number> {
  const { vars, json } = sessionEnv(args, commandContext(args));
  if (args.json) {
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
  } else {
    const lines = args.shell ? shellLines(vars) : dotenvLines(vars);
    process.stdout.write(lines.length > 0 ? `${lines.join('\n')}\n` : '');
  }
  return ExitCode.ok;
}
