/** Small printing helpers for the commands that are not `up` (which has its reporter). */

import type { CommandContext, GlobalArgs } from '../app/options.js';
import { paint } from '../output/colors.js';

/** devlaunch's own message; on stderr when stdout carries --json data. */
export function say(args: GlobalArgs, text: string): void {
  const stream = args.json ? process.stderr : process.stdout;
  const color = paint(stream, args.color);
  stream.write(`${color.dim('devlaunch')} ${text}\n`);
}

export function warn(args: GlobalArgs, text: string): void {
  const color = paint(process.stderr, args.color);
  process.stderr.write(`${color.yellow('devlaunch warning:')} ${text}\n`);
}

/** What a command's use case gets from the process (app/options.ts `CommandContext`). */
export function commandContext(args: GlobalArgs): CommandContext {
  return {
    cwd: process.cwd(),
    env: process.env,
    say: (text) => say(args, text),
    warn: (text) => warn(args, text),
  };
}
