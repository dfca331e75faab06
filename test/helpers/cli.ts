/**
 * Runs the built CLI (`node bin/devlaunch.js`) in end-to-end tests. Every started CLI is
 * tracked: it is SIGKILLed with its process group, and every process carrying its marker
 * (TEST_MARKER, inherited by the services it starts), in cleanupTracked().
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { LineReader, track, trackMarker, waitFor } from './processes.js';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const cliPath = fileURLToPath(new URL('../../bin/devlaunch.js', import.meta.url));
export const fixturesDir = fileURLToPath(new URL('../fixtures/', import.meta.url));

export interface CliOptions {
  /** Default: the repository root. */
  cwd?: string;
  /** Added to the test process's environment (NO_COLOR=1 is set unless given). */
  env?: Record<string, string>;
  /** runCli only: kill the CLI and fail after this long. Default 20000. */
  timeoutMs?: number;
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface StartedCli {
  child: ChildProcess;
  pid: number;
  /** TEST_MARKER=<uuid> in the CLI's environment and so in every service's. */
  marker: string;
  stdout: LineReader;
  stderr: LineReader;
  /** Resolves with the exit code and signal; throws after `timeoutMs` (default 10000). */
  waitForExit(timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function launch(args: string[], opts: CliOptions): { child: ChildProcess; marker: string } {
  const marker = `TEST_MARKER=${randomUUID()}`;
  const [name, value] = marker.split('=') as [string, string];
  // detached: the CLI leads its own process group, like a job a shell starts in a terminal, so
  // a test can send a "terminal" Ctrl+C to the whole group with process.kill(-pid, 'SIGINT').
  // PORT and HOST of the shell running the tests would be reported as overridden by every run.
  const { PORT: _port, HOST: _host, ...inherited } = process.env;
  const child = spawn(process.execPath, [cliPath, ...args], {
    cwd: opts.cwd ?? repoRoot,
    env: { ...inherited, NO_COLOR: '1', ...opts.env, [name]: value },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  track(child.pid);
  trackMarker(marker);
  return { child, marker };
}

/** Runs the CLI to completion and returns its exit code and output. */
export async function runCli(args: string[], opts: CliOptions = {}): Promise<CliResult> {
  const { child } = launch(args, opts);
  const stdout = new LineReader(child.stdout!);
  const stderr = new LineReader(child.stderr!);
  const timeoutMs = opts.timeoutMs ?? 20_000;
  const result = await new Promise<{ code: number | null; signal: NodeJS.Signals | null } | null>(
    (resolve) => {
      const timer = setTimeout(() => resolve(null), timeoutMs);
      child.once('close', (code, signal) => {
        clearTimeout(timer);
        resolve({ code, signal });
      });
    },
  );
  if (result === null) {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {}
    throw new Error(
      `devlaunch ${args.join(' ')} did not exit within ${timeoutMs} ms\n` +
        `stdout:\n${stdout.text()}\nstderr:\n${stderr.text()}`,
    );
  }
  return { ...result, stdout: stdout.text(), stderr: stderr.text() };
}

/** Starts the CLI in the background (tracked for cleanup) with line waiting on its output. */
export function startCli(args: string[], opts: CliOptions = {}): StartedCli {
  const { child, marker } = launch(args, opts);
  let exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  child.once('exit', (code, signal) => {
    exit = { code, signal };
  });
  return {
    child,
    pid: child.pid!,
    marker,
    stdout: new LineReader(child.stdout!),
    stderr: new LineReader(child.stderr!),
    waitForExit: (timeoutMs = 10_000) =>
      waitFor(() => exit, { timeoutMs, what: `devlaunch ${args.join(' ')} to exit` }),
  };
}
