/**
 * `devlaunch free PORT...`: stops whatever holds these ports, with the safety rules of `kill`
 * (app/free.ts), asking first on a terminal unless `--yes`.
 */
import { freePorts } from '../../app/free.js';
import type { FreeArgs } from '../../app/options.js';
import { ExitCode } from '../../errors.js';
import { type Confirmer, isInteractive, terminalConfirmer } from '../../ports/ask.js';
import { commandContext } from '../say.js';

export interface FreeDeps {
  /** Default: stdin and stdout are both terminals. */
  interactive?: boolean;
  /** Default: a y/N question on the terminal. */
  confirm?: Confirmer;
}

export async function run(args: FreeArgs, deps: FreeDeps = {}): Promise<number> {
  await freePorts(args, commandContext(args), {
    interactive: deps.interactive ?? isInteractive(),
    confirm: deps.confirm ?? terminalConfirmer,
    show: (text) => process.stdout.write(text),
  });
  return ExitCode.ok;
}
