/**
 * `devlaunch status` (`ps`): each service's state, pid, port, URL, uptime and restarts, with
 * live health (app/status.ts), as a table or `--json`; the exit code follows LSB `status`.
 */
import type { GlobalArgs } from '../../app/options.js';
import { isRunningState, type StatusJson, sessionStatus } from '../../app/status.js';
import { renderServiceTable } from '../../output/service-table.js';
import { warn } from '../say.js';
import { printNoSession, uptime } from '../status-none.js';
import { terminal } from '../terminal.js';

/**
 * `devlaunch dashboard` (cli/main.ts loads it from here), loaded when run: it reads the
 * manifest, which `status` with nothing running does without.
 */
export async function dashboard(args: GlobalArgs): Promise<number> {
  return (await import('../dashboard-command.js')).run(args);
}

export async function run(args: GlobalArgs): Promise<number> {
  const status = await sessionStatus(args, terminal(args), (text) => warn(args, text));
  const { json } = status;
  if (status.session === 'none') {
    printNoSession(args, status);
  } else if (args.json) {
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
  } else {
    if (status.session === 'supervisor-gone') {
      warn(
        args,
        `the supervisor of session ${json.session} is gone (killed or crashed); run devlaunch down to stop what it left`,
      );
    } else if (status.session === 'supervisor-gone-nothing-left') {
      warn(
        args,
        `nothing of ${json.project} is running: the supervisor of session ${json.session} is gone (killed or crashed) and nothing it started is left; devlaunch down clears its state`,
      );
    }
    printTable(json);
    for (const [name, detail] of status.details) warn(args, `${name} is unhealthy: ${detail}`);
  }
  return status.exitCode;
}

function printTable(json: StatusJson): void {
  const now = Date.now();
  const rows = json.services.map((s) => ({
    ...s,
    uptime: s.startedAt && isRunningState(s.state) ? uptime(now - Date.parse(s.startedAt)) : '-',
  }));
  const columns = ['SERVICE', 'STATE', 'PID', 'PORT', 'URL', 'UPTIME', 'RESTARTS'] as const;
  process.stdout.write(`${renderServiceTable(rows, columns)}\n`);
}
