/**
 * `devlaunch doctor [--json]`: checks the manifest, every preferred port, privileged and
 * reserved port ranges, the project's recorded state and the tools devlaunch uses, and says
 * what to do about each problem. Changes nothing. Exit 0 without errors (warnings allowed), 1
 * with any error.
 */
import { doctorExitCode, runDoctor } from '../../app/doctor/index.js';
import { renderJson, renderText } from '../../app/doctor/render.js';
import type { GlobalArgs } from '../../app/options.js';
import { paint } from '../../output/colors.js';

export async function run(args: GlobalArgs): Promise<number> {
  const results = await runDoctor({
    file: args.file,
    cwd: process.cwd(),
    env: process.env,
    port: args.port,
  });
  process.stdout.write(
    args.json ? renderJson(results) : renderText(results, paint(process.stdout, args.color)),
  );
  return doctorExitCode(results);
}
