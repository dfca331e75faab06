/**
 * Processes devlaunch starts that are not services: OS tools whose output it parses, the
 * browser, and the background supervisor of `up -d`. Kept here so that process/ stays the only
 * importer of child_process.
 */
import { execFile, spawn } from 'node:child_process';
import { ExitCode } from '../errors.js';

/**
 * Runs a tool and returns its stdout, or null when it cannot run (not installed). A non-zero
 * exit with output still counts: lsof exits 1 when nothing matched, and warns on stderr.
 */
export function runTool(command: string, args: string[]): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { encoding: 'utf8', windowsHide: true, timeout: 10_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout) => {
        if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') resolve(null);
        else if (error && !stdout) resolve(error.killed ? null : '');
        else resolve(stdout);
      },
    );
  });
}

/** Starts a program and forgets it: no output, errors (such as not installed) ignored. */
export function launchAndForget(command: string, args: string[]): void {
  try {
    const child = spawn(command, args, { stdio: 'ignore', detached: true, windowsHide: true });
    child.on('error', () => {});
    child.unref();
  } catch {}
}

export interface BackgroundProcess {
  pid: number | undefined;
  /** The exit code (a death by signal counts as a service failure), or null while it runs. */
  exitCode(): number | null;
  /** Lets devlaunch exit while it runs on. */
  unref(): void;
}

/**
 * Starts `node <args>` in its own session (`detached`: no terminal, so closing the caller's
 * does not stop it), with stdout and stderr going to the open file `outFd`.
 */
export function startBackground(
  args: string[],
  opts: { cwd: string; env: Record<string, string | undefined>; outFd: number },
): BackgroundProcess {
  const child = spawn(process.execPath, args, {
    cwd: opts.cwd,
    detached: true,
    stdio: ['ignore', opts.outFd, opts.outFd],
    windowsHide: true,
    env: opts.env,
  });
  let exitCode: number | null = null;
  child.once('exit', (code, signal) => {
    exitCode = code ?? (signal ? ExitCode.serviceFailed : 0);
  });
  return { pid: child.pid, exitCode: () => exitCode, unref: () => child.unref() };
}
