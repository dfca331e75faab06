/**
 * Spawning a service on Windows inside a kill-on-close job object (see win-launcher.ts).
 * devlaunch creates the job, starts the launcher (which waits), assigns it to the job, checks
 * that worked, and only then lets it start the command. Node's own spawn puts the launcher in
 * libuv's job, which allows silent breakaway; ours, nested inside and without breakaway, is the
 * innermost job of every process of the service, so none of them can leave it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { WinApi } from './api.js';
import { noteConsoleClosing, type OwnedService, registerOwned } from './owned.js';

const require = createRequire(import.meta.url);

let watchingConsole = false;

export interface ContainedSpawn {
  child: ChildProcess;
  /** Call once 'spawn' fired: contains the launcher and lets it start. Throws when it cannot. */
  release(): string;
}

/** dist/process/win-launcher.js, next to the watchdog. */
export function launcherScript(watchdogScript: string): string {
  return join(watchdogScript, '..', 'win-launcher.js');
}

export function spawnContained(
  api: WinApi,
  script: string,
  opts: { command: string | string[]; cwd: string; env: Record<string, string> },
): ContainedSpawn {
  if (!existsSync(script)) throw new Error(`launcher not built: ${script} is missing`);
  if (!watchingConsole) {
    // Node reports the console window closing as SIGHUP: Windows ends devlaunch ~5 s later.
    watchingConsole = true;
    process.on('SIGHUP', () => noteConsoleClosing());
  }
  const job = api.createKillOnCloseJob();
  const env = { ...opts.env };
  const nodeOptions = env.NODE_OPTIONS;
  delete env.NODE_OPTIONS;
  const spec = JSON.stringify({ command: opts.command, nodeOptions });
  const child = spawn(process.execPath, [script, spec], {
    cwd: opts.cwd,
    env,
    // fd 3: the launcher's reports (`break-failed REASON`), never the service's.
    stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
    windowsHide: true,
  });
  child.stdin?.on('error', () => {}); // EPIPE once the launcher is gone
  child.once('error', () => api.closeHandle(job));
  return {
    child,
    release() {
      const pid = child.pid ?? -1;
      if (!api.assignToJob(job, pid)) {
        child.kill();
        api.closeHandle(job);
        throw new Error('AssignProcessToJobObject failed: the service could not be contained');
      }
      const startTime = api.creationTime(pid) ?? '';
      const owned: OwnedService = { pid, startTime, child, job, api };
      registerOwned(owned);
      const reports = child.stdio[3] as Readable | null | undefined;
      if (reports) {
        reports.on('error', () => {});
        // Required here, on Windows only: the module is loaded by every start of up and run.
        const { createInterface } = require('node:readline') as typeof import('node:readline');
        createInterface({ input: reports }).on('line', (line) => {
          if (line.startsWith('break-failed ')) owned.breakFailed = line.slice(13);
        });
      }
      child.stdin?.write('go\n');
      return startTime;
    },
  };
}
