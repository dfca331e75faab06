/**
 * The watchdog's side of Windows containment. devlaunch copies each service's job handle into
 * the watchdog (DuplicateHandle), so the job outlives devlaunch by as long as the watchdog
 * wants: when devlaunch dies, each launcher sees its control pipe close and sends its console
 * break; the watchdog gives the services their stop_timeout, then terminates the jobs and
 * exits. Should the watchdog die too, its handles close and Windows kills every job's tree
 * (kill-on-close): no path leaves a service process running.
 */
import { winApi } from './api.js';
import { graceDeadline, ownedService } from './owned.js';
import { stopWindowsTree } from './stop.js';
import { taskkill } from './taskkill.js';

/** In devlaunch: the job of service `pid` as a handle value inside the watchdog, or undefined. */
export function jobForWatchdog(pid: number, watchdogPid: number): string | undefined {
  const own = ownedService(pid);
  if (own === null || own.job === null || own.api === null) return undefined;
  return own.api.duplicateInto(own.job, watchdogPid)?.toString();
}

/** In the watchdog: forget a job (the service's tree is gone). */
export function closeJob(job: string): void {
  winApi()?.closeHandle(BigInt(job));
}

/** In the watchdog: end the tree of a job, after the grace its launcher's break started. */
export async function stopJob(
  service: { pid: number; job: string; timeoutMs: number },
  log: (text: string) => void,
): Promise<void> {
  const api = winApi();
  if (api === null) return; // exiting closes the handle: Windows kills the job's tree
  const job = BigInt(service.job);
  await stopWindowsTree(
    { pid: service.pid, startTime: null },
    { timeoutMs: service.timeoutMs },
    {
      job: {
        // The launcher sent it when its control pipe closed with devlaunch.
        requestBreak: () => true,
        active: () => api.jobActiveCount(job),
        terminate: () => api.terminateJob(job, 1),
        pids: () => api.jobPids(job),
      },
      ownChild: null,
      identity: async (pid) => api.creationTime(pid),
      taskkill,
      now: Date.now,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      graceDeadline,
      warn: log,
    },
  );
}
