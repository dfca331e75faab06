/**
 * The service processes this devlaunch spawned on Windows, by pid: the launcher's ChildProcess
 * (a handle to exactly that process, so no identity check is ever needed to stop it), its
 * control pipe (`break` asks for a console break) and the job object that holds its whole tree.
 * Only this process holds these handles (and the watchdog a duplicate of each job).
 */
import type { ChildProcess } from 'node:child_process';
import type { Handle, WinApi } from './api.js';

export interface OwnedService {
  pid: number;
  startTime: string;
  child: ChildProcess;
  /** The kill-on-close job of the tree; null when the Win32 API is unavailable. */
  job: Handle | null;
  api: WinApi | null;
  /** Why the launcher could not send the console break, once it said so. */
  breakFailed?: string;
}

const owned = new Map<number, OwnedService>();

export function registerOwned(service: OwnedService): void {
  owned.set(service.pid, service);
}

/** The service spawned here with this pid (and start time, when given), if any. */
export function ownedService(pid: number, startTime?: string | null): OwnedService | null {
  const service = owned.get(pid);
  if (service === undefined) return null;
  if (startTime && service.startTime !== '' && startTime !== service.startTime) return null;
  return service;
}

/**
 * Forgets a service once its tree is gone, closing the job handle. Closing a job that still
 * has processes would kill them (kill-on-close), so a non-empty job is kept.
 */
export function releaseOwned(pid: number): void {
  const service = owned.get(pid);
  if (service === undefined) return;
  if (service.job !== null && service.api !== null) {
    if ((service.api.jobActiveCount(service.job) ?? 1) > 0) return;
    service.api.closeHandle(service.job);
  }
  owned.delete(pid);
}

/** Asks the launcher to send a console break to the service's console. */
export function requestBreak(service: OwnedService): boolean {
  const stdin = service.child.stdin;
  if (stdin === null || stdin.destroyed || !stdin.writable) return false;
  stdin.write('break\n');
  return true;
}

let closingSince: number | null = null;

/**
 * A closing console (SIGHUP on Windows) leaves devlaunch about 5 s before Windows ends it:
 * from then on every grace period ends at most `consoleCloseGraceMs` after the close.
 */
export const consoleCloseGraceMs = 2500;

export function noteConsoleClosing(now = Date.now()): void {
  closingSince ??= now;
}

/** The grace deadline, shortened when the console is closing. */
export function graceDeadline(start: number, timeoutMs: number): number {
  const normal = start + timeoutMs;
  return closingSince === null ? normal : Math.min(normal, closingSince + consoleCloseGraceMs);
}

export function resetConsoleClosingForTests(): void {
  closingSince = null;
}
