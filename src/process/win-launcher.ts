/**
 * The Windows service launcher (built to dist/process/win-launcher.js, started by
 * win/contain.ts with the service's environment, one per service). devlaunch puts it in the
 * service's kill-on-close job object BEFORE it starts anything, then writes `go`: the service
 * and every process it ever starts are born inside the job, with no window to escape. It then:
 *
 * - runs the command (a string through cmd.exe, a list directly) with its own stdout/stderr,
 *   which are devlaunch's pipes, and exits with the command's exit code;
 * - on `break`, or when its stdin closes (devlaunch is gone), sends CTRL_BREAK_EVENT to its
 *   console, and reports on fd 3 when Windows refused (`break-failed REASON`), so devlaunch
 *   goes on to the forced step at once instead of waiting out the grace. The launcher was started without a console window, so Windows gave it a hidden
 *   console of its own that only the service's processes share: the break reaches the whole
 *   service and nothing else (not devlaunch, not the user's terminal).
 *
 * argv[2]: JSON `{ command: string | string[], nodeOptions?: string }`.
 */
import { spawn } from 'node:child_process';
import { writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import crossSpawn from 'cross-spawn';
import { winApi } from './win/api.js';

interface LaunchSpec {
  command: string | string[];
  /** The service's NODE_OPTIONS, kept away from this launcher's own node. */
  nodeOptions?: string;
}

const spec = JSON.parse(process.argv[2] ?? '{}') as LaunchSpec;
let started = false;
let child: ReturnType<typeof spawn> | null = null;

// The break is for the service; the launcher stays to report the service's exit code.
process.on('SIGBREAK', () => {});
process.on('SIGINT', () => {});

/** Tells devlaunch (fd 3, a pipe only it reads) that the graceful step cannot work. */
function report(line: string): void {
  try {
    writeSync(3, `${line}\n`);
  } catch {} // devlaunch is gone: the watchdog's grace and the job take it from here
}

function sendBreak(): void {
  if (child === null) process.exit(130); // nothing started yet: nothing to stop gracefully
  const api = winApi();
  if (api === null) {
    report('break-failed the Win32 API is unavailable in the launcher');
    return;
  }
  const error = api.ctrlBreak(0);
  if (error !== 0) report(`break-failed GenerateConsoleCtrlEvent failed (Win32 error ${error})`);
}

function start(): void {
  if (started) return;
  started = true;
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  if (spec.nodeOptions !== undefined) env.NODE_OPTIONS = spec.nodeOptions;
  const options = {
    env,
    stdio: ['ignore', 'inherit', 'inherit'] as ['ignore', 'inherit', 'inherit'],
    windowsHide: true,
  };
  if (typeof spec.command === 'string') {
    child = spawn(spec.command, { ...options, shell: true });
  } else {
    const [file = '', ...args] = spec.command;
    child = crossSpawn(file, args, options);
  }
  child.on('error', (error: NodeJS.ErrnoException) => {
    process.stderr.write(
      `devlaunch: cannot start ${JSON.stringify(spec.command)}: ${error.message}\n`,
    );
    process.exit(error.code === 'ENOENT' ? 127 : 126);
  });
  child.on('exit', (code) => process.exit(code ?? 1));
}

const control = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
control.on('line', (line) => {
  if (line === 'go') start();
  else if (line === 'break') sendBreak();
});
control.on('close', () => sendBreak());
