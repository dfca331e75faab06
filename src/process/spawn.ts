/**
 * Starts a service's process. The only module that imports cross-spawn (which resolves
 * PATHEXT and shebang scripts on Windows for list commands).
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import crossSpawn from 'cross-spawn';
import { DevlaunchError } from '../errors.js';
import { startTimeOf } from './proc-info.js';
import { processWarning } from './warnings.js';
import { watchdogScript } from './watchdog.js';
import { winApi, winApiLoadError } from './win/api.js';
import { launcherScript, spawnContained } from './win/contain.js';
import { registerOwned } from './win/owned.js';

const isWindows = process.platform === 'win32';
let warnedUncontained = false;

export interface SpawnOptions {
  /** Service name, used in error messages. */
  name: string;
  /** A string runs through the platform shell; a list runs directly, without a shell. */
  command: string | string[];
  /** Working directory; must exist. */
  cwd: string;
  /** The complete environment of the process (nothing is inherited implicitly). */
  env: Record<string, string>;
}

export interface SpawnedService {
  pid: number;
  /** POSIX: the service's own process group, equal to pid. Windows: null. */
  pgid: number | null;
  /** Identity token of the spawned process (see proc-info), read right after spawn. */
  startTime: string;
  /** null for a process devlaunch follows but did not spawn (adopt.ts: a service's daemon). */
  child: ChildProcess | null;
  stdout: Readable;
  stderr: Readable;
  /**
   * Resolves when the direct child has exited. Its output may still be in flight, and a
   * background grandchild may still hold the pipes: sweep the tree, then await `exited`.
   */
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves once, when the direct child has exited AND its stdio closed. */
  /** `error`: why the command could not start (then `code` is 126 or 127), for the caller to print. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: string }>;
}

function describeSpawnError(error: NodeJS.ErrnoException, program: string, cwd: string): string {
  switch (error.code) {
    case 'ENOENT':
      return `command not found: ${program} (ENOENT)`;
    case 'EACCES':
      return `not executable: ${program} (EACCES)`;
    case 'ENOTDIR':
      return `working directory is not a directory: ${cwd} (ENOTDIR)`;
    default:
      return error.message;
  }
}

function checkCwd(opts: SpawnOptions): void {
  // Node reports a missing cwd as ENOENT of the command, which would blame the wrong thing.
  let isDir = false;
  try {
    isDir = statSync(opts.cwd).isDirectory();
  } catch {}
  if (!isDir) {
    throw new DevlaunchError(
      'SERVICE_FAILED',
      `service ${opts.name} cannot start: working directory ${opts.cwd} does not exist`,
      { hint: `check the service's cwd in launcher.yaml (relative to the project root)` },
    );
  }
}

/**
 * Starts a service. POSIX: `detached: true` puts it in its own process group, so the
 * terminal's Ctrl+C does not reach it directly (devlaunch decides how to stop it) and the
 * group can be signalled as a whole. Windows: through the launcher, inside a kill-on-close job
 * object and a hidden console of its own (win/contain.ts); the recorded pid is the launcher's.
 * stdin is ignored. Resolves on the 'spawn' event; rejects with
 * DevlaunchError('SERVICE_FAILED') naming the service and the cause.
 */
export function spawnService(opts: SpawnOptions): Promise<SpawnedService> {
  try {
    checkCwd(opts);
  } catch (error) {
    return Promise.reject(error);
  }
  const options = {
    cwd: opts.cwd,
    env: opts.env,
    stdio: ['ignore', 'pipe', 'pipe'] as ['ignore', 'pipe', 'pipe'],
    detached: !isWindows,
    windowsHide: true,
  };
  let child: ChildProcess;
  let program: string;
  let contain: (() => string) | null = null;
  const api = isWindows ? winApi() : null;
  if (isWindows && !warnedUncontained && api === null) {
    warnedUncontained = true;
    processWarning(
      `the Win32 API is unavailable (${winApiLoadError() ?? 'koffi not installed'}): ` +
        'services run without a job object, and may survive an unclean exit of devlaunch',
    );
  }
  const emptyCommand = Array.isArray(opts.command) && (opts.command[0] ?? '') === '';
  if (api !== null && !emptyCommand) {
    program = Array.isArray(opts.command) ? (opts.command[0] ?? '') : opts.command;
    try {
      const spawned = spawnContained(api, launcherScript(watchdogScript()), {
        command: opts.command,
        cwd: opts.cwd,
        env: opts.env,
      });
      child = spawned.child;
      contain = spawned.release;
    } catch (error) {
      return Promise.reject(
        new DevlaunchError(
          'SERVICE_FAILED',
          `service ${opts.name} failed to start: ${String(error)}`,
          {
            cause: error,
          },
        ),
      );
    }
  } else if (typeof opts.command === 'string') {
    program = opts.command;
    // shell: true is /bin/sh -c on POSIX and cmd.exe /d /s /c on Windows.
    child = spawn(opts.command, { ...options, shell: true });
  } else {
    const [file, ...args] = opts.command;
    if (file === undefined || file === '') {
      return Promise.reject(
        new DevlaunchError('SERVICE_FAILED', `service ${opts.name} has an empty command`),
      );
    }
    program = file;
    child = crossSpawn(file, args, options);
  }

  // The listeners below stay on the child for its whole life: they keep its name and directory,
  // not `opts`, whose environment (thousands of variables with many services) would stay too.
  const { name, cwd } = opts;
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(
        new DevlaunchError(
          'SERVICE_FAILED',
          `service ${name} failed to start: ${describeSpawnError(error, program, cwd)}`,
          { cause: error },
        ),
      );
    };
    child.once('error', onError);
    child.once('spawn', () => {
      child.off('error', onError);
      // Later 'error' events (a failed kill) must not crash devlaunch; exit is what counts.
      child.on('error', () => {});
      const pid = child.pid!;
      let startTime: string;
      try {
        startTime = contain !== null ? contain() : (startTimeOf(pid) ?? '');
      } catch (error) {
        onError(error as NodeJS.ErrnoException);
        return;
      }
      if (isWindows && contain === null) registerOwned({ pid, startTime, child, job: null, api });
      const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) =>
        child.once('exit', (code, signal) => res({ code, signal })),
      );
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) =>
        child.once('close', (code, signal) => res({ code, signal })),
      );
      resolve({
        pid,
        pgid: isWindows ? null : pid,
        // The child cannot have been reaped yet (that happens on a later event loop turn),
        // so its /proc entry, zombie or not, still carries the start time.
        startTime,
        child,
        stdout: child.stdout!,
        stderr: child.stderr!,
        exit,
        exited,
      });
    });
  });
}

/** Human description of how a process ended, e.g. 'exited with code 1', 'killed by SIGKILL'. */
export function describeExit(code: number | null, signal: string | null): string {
  if (signal !== null) return `killed by ${signal}`;
  if (code === null) return 'exited';
  // The shell's conventions for a string command: 127 not found, 126 found but not runnable.
  if (code === 127) return 'command not found (exit 127)';
  if (code === 126) return 'not executable (exit 126)';
  if (isWindows && code === 9009) return 'command not found (exit 9009)';
  return `exited with code ${code}`;
}

export interface CommandExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Why the command could not start (`code` is then 126 or 127), for the caller to print. */
  error?: string;
}

export interface SpawnedCommand {
  pid: number;
  startTime: string;
  child: ChildProcess;
  exited: Promise<CommandExit>;
}

/**
 * Runs the command of `devlaunch run -- CMD` in the foreground: the terminal attached (stdio
 * inherited) and in devlaunch's own process group, so the user's Ctrl+C reaches it as it would
 * without devlaunch. A command that cannot start resolves as exit 127, like a shell.
 */
export function spawnCommand(
  command: string[],
  opts: { cwd: string; env: Record<string, string> },
): SpawnedCommand {
  const [file, ...args] = command;
  const child = crossSpawn(file ?? '', args, { cwd: opts.cwd, env: opts.env, stdio: 'inherit' });
  const exited = new Promise<CommandExit>((resolve) => {
    child.once('error', (error: NodeJS.ErrnoException) => {
      resolve({
        code: error.code === 'EACCES' ? 126 : 127,
        signal: null,
        error: describeSpawnError(error, file ?? '', opts.cwd),
      });
    });
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  const pid = child.pid ?? -1;
  return { pid, startTime: pid > 0 ? (startTimeOf(pid) ?? '') : '', child, exited };
}
