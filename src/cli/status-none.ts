/**
 * `devlaunch status` when nothing runs, built into a bundle of its own (dist/cli/status-none.cjs)
 * that cli/main.ts loads first: the everyday answer ("nothing of shop is running", exit 3)
 * without loading the status command's bundle, which holds the manifest's parser and schema,
 * the control channel and the process tools. commands/status.ts prints the same case the same
 * way when it decides it the full way.
 */
import type { GlobalArgs } from '../app/options.js';
import { NOT_RUNNING, type Status, statusWhenNothingRuns } from '../app/status-none.js';
import type { LastSession } from '../state/last-session.js';
import { say } from './say.js';

/** The exit code when nothing runs, beyond doubt; undefined: the status command decides. */
export async function run(args: GlobalArgs): Promise<number | undefined> {
  const status = statusWhenNothingRuns({ file: args.file, cwd: process.cwd(), env: process.env });
  if (status === undefined) return undefined;
  printNoSession(args, status);
  return status.exitCode;
}

/**
 * `status` with no session to describe: the JSON, or one line saying when and why the last one
 * ended. Not that line when a session runs whose state cannot be read (exit 1): the warning
 * printed before says so.
 */
export function printNoSession(args: GlobalArgs, status: Status): void {
  const { json, last } = status;
  if (args.json) {
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
  } else if (status.exitCode === NOT_RUNNING) {
    say(args, `nothing of ${json.project} is running${last ? `; ${lastEnded(last)}` : ''}`);
  }
}

function lastEnded(last: LastSession): string {
  const ago = uptime(Date.now() - Date.parse(last.endedAt));
  return `the last session ended ${ago} ago (${last.endedAt}): ${last.reason}`;
}

/** A duration as `status` shows it: `42s`, `3m05s`, `2h07m`, `1d04h`. */
export function uptime(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  if (s < 86400)
    return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  return `${Math.floor(s / 86400)}d${String(Math.floor((s % 86400) / 3600)).padStart(2, '0')}h`;
}
