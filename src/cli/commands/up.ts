/**
 * `devlaunch up [SERVICE...]`: start the services and stay in the foreground (app/up.ts); with
 * -d a background supervisor runs them (app/detach.ts); `--dry-run` prints the launch plan.
 */
import type { UpArgs } from '../../app/options.js';
import { up } from '../../app/up.js';
import { ExitCode } from '../../errors.js';
import { painter } from '../../output/colors.js';
import { launchPlanJson, renderLaunchPlan } from '../../output/launch-plan.js';
import { ignoreBrokenOutput, terminal } from '../terminal.js';

export async function run(args: UpArgs): Promise<number> {
  if (args.dryRun) return dryRunUp(args);
  return up(args, terminal(args), {
    // A background supervisor (started by up -d) writes service output to the log files only.
    background: process.env.DEVLAUNCH_DETACHED_SESSION !== undefined,
    ignoreBrokenOutput,
    exit: (code) => process.exit(code),
  });
}

/** `up --dry-run`: the plan on stdout; the exit code `up` would end with at that stage. */
async function dryRunUp(args: UpArgs): Promise<number> {
  const { dryRun } = await import('../../app/dry-run.js');
  const term = terminal(args);
  const { plan, error } = await dryRun(args, term.env, term.cwd, term.interactive);
  process.stdout.write(
    args.json
      ? `${JSON.stringify(launchPlanJson(plan), null, 2)}\n`
      : renderLaunchPlan(plan, painter(term.color.stdout)),
  );
  if (error) {
    process.stderr.write(`devlaunch up would stop: ${error.message}\n`);
    if (error.hint) process.stderr.write(`hint: ${error.hint}\n`);
    return error.exitCode;
  }
  if (!args.json) process.stderr.write('dry run: nothing was started, stopped or written\n');
  return ExitCode.ok;
}
