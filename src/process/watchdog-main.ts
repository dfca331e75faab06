/**
 * Entry point of the watchdog process (built to dist/process/watchdog-main.cjs, started by
 * watchdog.ts). It reads newline-delimited JSON from stdin, whose write end only devlaunch
 * holds. End-of-file without a prior {type:'exit'} means devlaunch died: every watched tree is
 * stopped (each with its own signal and timeout, in parallel), then any process still carrying
 * the session mark, and the watchdog exits.
 */
import { appendFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { stopTree } from './kill-tree.js';
import { listProcesses, readEnviron } from './proc-info.js';
import type { WatchdogMessage, WatchedService } from './watchdog.js';
import { closeJob, stopJob } from './win/watchdog-jobs.js';

const session = process.env.DEVLAUNCH_SESSION ?? '';
const logFile = process.env.DEVLAUNCH_WATCHDOG_LOG;
const watched = new Map<number, WatchedService & { job?: string }>();
let stopping = false;

function log(text: string): void {
  if (logFile === undefined || logFile === '') return;
  try {
    appendFileSync(logFile, `${new Date().toISOString()} watchdog ${process.pid}: ${text}\n`);
  } catch {}
}

/** Processes of the session no watched tree accounts for (started in a race with watch()). */
async function sweepSession(timeoutMs: number): Promise<void> {
  if (session === '') return;
  const stray = listProcesses().filter((p) => {
    if (p.pid === process.pid) return false;
    const env = readEnviron(p.pid);
    return env?.DEVLAUNCH_SESSION === session && env.DEVLAUNCH_ROLE === undefined;
  });
  await Promise.all(
    stray.map((p) =>
      stopTree(
        { pid: p.pid, pgid: null, startTime: p.startTime },
        { signal: 'SIGTERM', timeoutMs },
      ),
    ),
  );
}

async function stopEverything(why: string): Promise<never> {
  if (stopping) return new Promise<never>(() => {});
  stopping = true;
  const services = [...watched.values()];
  log(`${why}: stopping ${services.length} service(s)`);
  await Promise.all(
    services.map((s) =>
      (s.job !== undefined
        ? stopJob({ pid: s.pid, job: s.job, timeoutMs: s.timeoutMs }, log)
        : stopTree(
            {
              pid: s.pid,
              pgid: s.pgid,
              startTime: s.startTime,
              session: s.session,
              service: s.service,
            },
            { signal: s.signal, timeoutMs: s.timeoutMs },
          ).then(() => undefined)
      ).catch((error: unknown) => log(`stopping ${s.pid} failed: ${String(error)}`)),
    ),
  );
  const grace = Math.min(5000, Math.max(1000, ...services.map((s) => s.timeoutMs)));
  await sweepSession(grace).catch((error: unknown) => log(`sweep failed: ${String(error)}`));
  log('done');
  process.exit(0);
}

function handle(message: WatchdogMessage): void {
  switch (message.type) {
    case 'watch': {
      const { type: _, ...service } = message;
      watched.set(message.pid, service);
      log(
        `watching ${message.pid}${message.job === undefined ? '' : ` and its job ${message.job}`}`,
      );
      return;
    }
    case 'unwatch': {
      const job = watched.get(message.pid)?.job;
      if (job !== undefined) closeJob(job);
      watched.delete(message.pid);
      return;
    }
    case 'exit':
      log('told to exit');
      process.exit(0);
  }
}

// Detached into its own session, the terminal's signals do not reach it; a SIGINT/SIGHUP sent
// to it anyway (a broad `kill`) must not make it leave services behind. SIGTERM (system
// shutdown, a CI runner's cleanup) stops the services first. SIGKILL still ends it at once.
// Until these handlers are installed, a signal kills this process: on POSIX the shell stage
// (SHELL_STAGE in watchdog.ts) then starts it again.
process.on('SIGINT', () => {});
process.on('SIGHUP', () => {});
process.on('SIGTERM', () => void stopEverything('SIGTERM'));

const lines = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
lines.on('line', (line) => {
  if (line.trim() === '' || stopping) return;
  try {
    handle(JSON.parse(line) as WatchdogMessage);
  } catch (error) {
    log(`bad message ${JSON.stringify(line)}: ${String(error)}`);
  }
});
lines.on('close', () => void stopEverything('devlaunch is gone'));
log(`started for session ${session}`);
