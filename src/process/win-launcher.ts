/**
 * The Windows service launcher (built to dist/process/win-launcher.js, started by
 * win/contain.ts with the service's environment, one per service). devlaunch puts it in the
 * service's kill-on-close job object BEFORE it starts anything, then writes `go`: the service
 * and every process it ever starts are born inside the job, with no window to escape. It then:
 *
 * - runs the command (a string through cmd.exe, a list directly) with its own stdout/stderr,
 *   which are devlaunch's pipes, and exits with the command's exit code;
 * - on `break`, or when its stdin closes (devlaunch is gone), sends CTRL_BREAK_EVENT to its
 *   console. The launcher was started without a console window, so Windows gave it a hidden
 *   console of its own that only the service's processes share: the break reaches the whole
 *   service and nothing else (not devlaunch, not the user's terminal).
 *
 * argv[2]: JSON `{ command: string | string[], nodeOptions?: string }`.
 */
import { spawn } from 'node:child_process';
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

function sendBreak(): void {
  if (child === null) process.exit(130); // nothing started yet: nothing to stop gracefully
  winApi()?.ctrlBreak(0);
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
