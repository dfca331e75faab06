/**
 * The watchdog: a small detached process that stops every recorded service tree if devlaunch
 * dies without stopping them (kill -9, a crash, a closed CI job). It notices at once because
 * devlaunch holds the only write end of its stdin pipe: the kernel closes it however
 * devlaunch dies, and the watchdog reads end-of-file. Protocol: newline-delimited JSON,
 * `{type:'watch',...}`, `{type:'unwatch',pid}`, `{type:'exit'}` (see watchdog-main.ts).
 *
 * On POSIX it starts as a shell (`SHELL_STAGE`) that only keeps the messages, and starts the
 * Node watchdog only when there is something to stop: a Node start is 100+ ms of CPU and
 * ≈ 6 MB of private memory, paid by every `up` while its services start, for a process that
 * almost always just exits at the end.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jobForWatchdog } from './win/watchdog-jobs.js';

export interface WatchedService {
  pid: number;
  pgid: number | null;
  startTime: string;
  /** First signal of teardown (the service's stop_signal). */
  signal: string;
  /** Grace before SIGKILL, in ms (the service's stop_timeout). */
  timeoutMs: number;
  /** DEVLAUNCH_SESSION of the service's processes. */
  session: string;
  /** DEVLAUNCH_SERVICE of its processes: limits the daemon sweep to this service. Default: none. */
  service?: string;
}

export interface Watchdog {
  pid: number;
  watch(s: WatchedService): void;
  unwatch(pid: number): void;
  /** Normal shutdown: tell it to exit without touching anything, wait for it to exit. */
  dispose(): Promise<void>;
}

export type WatchdogMessage =
  /** `job`: Windows, the service's job object as a handle value inside the watchdog. */
  | ({ type: 'watch'; job?: string } & WatchedService)
  | { type: 'unwatch'; pid: number }
  | { type: 'exit' };

/** How long dispose() waits for the watchdog to exit. */
const disposeWaitMs = 2000;

const EXIT_LINE = JSON.stringify({ type: 'exit' } satisfies WatchdogMessage);

/**
 * The watchdog's first stage on POSIX (`sh -c SHELL_STAGE name NODE SCRIPT`): keeps every
 * message line; exits on the exit line. At end-of-file (devlaunch is gone) or on SIGTERM it
 * runs NODE SCRIPT with the kept lines as its stdin, then end-of-file, so watchdog-main.ts
 * stops every tree still watched; the stage exits with its status. Expanded values are not
 * expanded again, so the here-document passes the lines as they came.
 *
 * NODE SCRIPT is a child, not an exec of the stage: Node resets every ignored signal to its
 * default action first thing, and handles none until its start (≈ 0.1 s) has run
 * watchdog-main.ts. A SIGTERM, SIGINT or SIGHUP in that window (a second `kill`, a process
 * manager or CI runner signalling the whole group) kills it; the stage, which ignores them all
 * from then on, starts it again with the same lines (128 + the signal's number is how a shell
 * reports such a death). Any other end, SIGKILL included, is final.
 */
export const SHELL_STAGE = [
  "trap '' INT HUP",
  "m=''",
  'stop() {',
  "  trap '' TERM",
  '  while :; do',
  '    "$1" "$2" <<EOF',
  '$m',
  'EOF',
  '    s=$?',
  '    case $s in 129|130|143) ;; *) exit "$s" ;; esac',
  '  done',
  '}',
  `trap 'stop "$1" "$2"' TERM`,
  'while IFS= read -r l || [ -n "$l" ]; do',
  `  [ "$l" = '${EXIT_LINE}' ] && exit 0`,
  '  m="$m$l',
  '"',
  'done',
  'stop "$1" "$2"',
].join('\n');

/** The shell of the first stage, or null where the Node watchdog starts at once (Windows). */
function stageShell(): string | null {
  return process.platform !== 'win32' && existsSync('/bin/sh') ? '/bin/sh' : null;
}

/**
 * <package root>/dist/process/watchdog-main.cjs. The caller may run from src/ (tests), from
 * dist/cli/ or from a dist/chunks/ file after bundling, so walk up to the package.json.
 */
export function watchdogScript(from: string = fileURLToPath(import.meta.url)): string {
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'devlaunch') {
          return join(dir, 'dist', 'process', 'watchdog-main.cjs');
        }
      } catch {} // an unreadable package.json is not ours: keep walking
    }
    if (dirname(dir) === dir) throw new Error(`devlaunch package root not found above ${from}`);
  }
}

function exitedAlready(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/**
 * Starts the watchdog. It runs detached (its own session: the terminal's SIGINT/SIGHUP do
 * not reach it), with DEVLAUNCH_SESSION and DEVLAUNCH_ROLE=watchdog in its environment, and
 * is unref'd so it never keeps devlaunch alive.
 */
export async function startWatchdog(opts: {
  session: string;
  /** Environment of the watchdog. Default: devlaunch's own. */
  env?: Record<string, string>;
}): Promise<Watchdog> {
  const script = watchdogScript();
  if (!existsSync(script)) {
    throw new Error(`watchdog not built: ${script} is missing (run npm run build)`);
  }
  // It makes no TLS connection: Node would parse NODE_EXTRA_CA_CERTS into its memory for
  // nothing (1.1 MB of its 7.5 MB private with a 144-certificate system bundle).
  const { NODE_EXTRA_CA_CERTS: _certs, ...env } = opts.env ?? process.env;
  const shell = stageShell();
  const command = shell ?? process.execPath;
  const args =
    shell === null ? [script] : ['-c', SHELL_STAGE, 'devlaunch-watchdog', process.execPath, script];
  const child = spawn(command, args, {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
    env: {
      ...env,
      DEVLAUNCH_SESSION: opts.session,
      DEVLAUNCH_ROLE: 'watchdog',
    },
    windowsHide: true,
  });
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
  child.on('error', () => {});
  const stdin = child.stdin!;
  // EPIPE when the watchdog is gone (killed by `down`, say): nothing left to tell it.
  stdin.on('error', () => {});
  child.unref();
  (stdin as unknown as { unref?: () => void }).unref?.();

  const send = (message: WatchdogMessage) => {
    if (!stdin.destroyed && stdin.writable) stdin.write(`${JSON.stringify(message)}\n`);
  };
  return {
    pid: child.pid!,
    watch: (s) => {
      const job = process.platform === 'win32' ? jobForWatchdog(s.pid, child.pid!) : undefined;
      send({ type: 'watch', ...s, ...(job === undefined ? {} : { job }) });
    },
    unwatch: (pid) => send({ type: 'unwatch', pid }),
    dispose: async () => {
      if (exitedAlready(child)) return;
      child.ref(); // keep devlaunch alive until the watchdog has really gone
      const exited = new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, disposeWaitMs);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      send({ type: 'exit' });
      stdin.end();
      await exited;
      child.unref();
    },
  };
}
