/**
 * `taskkill` as the last resort of a forced stop on Windows: bounded in time, without a
 * console window, and with its result returned so the caller can check it.
 */
import { execFile } from 'node:child_process';

export interface ToolResult {
  /** Exit code; null when it could not run or was killed by the timeout. */
  code: number | null;
  output: string;
  timedOut: boolean;
}

/** taskkill's exit code when no process matched (already gone): not a failure. */
export const TASKKILL_NOT_FOUND = 128;

export function runTool(file: string, args: string[], timeoutMs = 10_000): Promise<ToolResult> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { encoding: 'utf8', windowsHide: true, timeout: timeoutMs, maxBuffer: 4 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const output = `${stdout ?? ''}${stderr ?? ''}`.trim();
        if (error === null) return resolve({ code: 0, output, timedOut: false });
        const e = error as NodeJS.ErrnoException & { killed?: boolean; code?: unknown };
        resolve({
          code: typeof e.code === 'number' ? e.code : null,
          output: output || e.message,
          timedOut: e.killed === true,
        });
      },
    );
  });
}

/** `taskkill [/F] /T /PID pid`: the tree from `pid` down. */
export function taskkill(pid: number, force: boolean): Promise<ToolResult> {
  return runTool('taskkill', [...(force ? ['/F'] : []), '/T', '/PID', String(pid)]);
}

/** A tool's stdout (null when it cannot be started), exit code and whether it timed out. */
export function runToolOutput(
  file: string,
  args: string[],
  timeoutMs = 10_000,
): Promise<{ stdout: string | null; code: number | null; timedOut: boolean }> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { encoding: 'utf8', windowsHide: true, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout) => {
        const e = error as (NodeJS.ErrnoException & { killed?: boolean }) | null;
        if (e?.code === 'ENOENT') return resolve({ stdout: null, code: null, timedOut: false });
        resolve({
          stdout: stdout ?? '',
          code: e === null ? 0 : typeof e.code === 'number' ? e.code : null,
          timedOut: e?.killed === true,
        });
      },
    );
  });
}
