/**
 * Following a process devlaunch did not spawn: the daemon a service left holding its port
 * (app/daemons.ts tells which one). It is no child of devlaunch, so its end is learnt by
 * polling its identity (pid and start time); its output went wherever the daemon sent it.
 */
import { Readable } from 'node:stream';
import { isSameProcess } from './proc-info.js';
import type { SpawnedService } from './spawn.js';

/** How often an adopted process is checked for being gone. */
export const ADOPTED_POLL_MS = 250;

/** A SpawnedService for the live process `pid` with start time `startTime`. */
export function adoptProcess(
  pid: number,
  startTime: string,
  pollMs = ADOPTED_POLL_MS,
): SpawnedService {
  const gone = new Promise<{ code: null; signal: null }>((resolve) => {
    const look = () => {
      if (isSameProcess({ pid, startTime })) setTimeout(look, pollMs);
      else resolve({ code: null, signal: null });
    };
    look();
  });
  return {
    pid,
    // A daemon leads a session of its own: its tree is found from its pid, not a group.
    pgid: null,
    startTime,
    child: null,
    stdout: Readable.from([]),
    stderr: Readable.from([]),
    exit: gone,
    exited: gone,
  };
}
