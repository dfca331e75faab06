/**
 * `devlaunch ports [PORT...]`: who holds the manifest's ports, or the ones given
 * (app/ports.ts), as a table or `--json`. Changes nothing.
 */
import type { PortsArgs } from '../../app/options.js';
import { portJson, renderPortTable } from '../../app/port-report.js';
import { reportPorts } from '../../app/ports.js';
import { ExitCode } from '../../errors.js';
import { paint } from '../../output/colors.js';
import { commandContext } from '../say.js';

export async function run(args: PortsArgs): Promise<number> {
  const rows = await reportPorts(args, commandContext(args));
  if (args.json) {
    process.stdout.write(`${JSON.stringify(rows.map(portJson), null, 2)}\n`);
  } else if (rows.length === 0) {
    process.stdout.write('the manifest names no ports (give some: devlaunch ports PORT...)\n');
  } else {
    process.stdout.write(renderPortTable(rows, paint(process.stdout, args.color)));
  }
  return ExitCode.ok;
}
