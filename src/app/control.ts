/**
 * How `devlaunch down` asks a running supervisor (attached in another terminal, or detached) to
 * stop: it writes a request file beside the session state, then nudges the supervisor
 * (process/nudge.ts: SIGUSR2 on POSIX). The supervisor also polls for the file, which is the
 * only channel on Windows, where there are no user signals. A request file is written
 * atomically, like the state.
 */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { nudge, onNudge } from '../process/nudge.js';

export interface DownRequest {
  /** Services to stop (with their dependents); empty: the whole session. */
  services: string[];
  requestedBy: number;
  /**
   * The session asked to stop. A request naming another session is a leftover and is dropped;
   * one naming this session is handled even if it was written before this process listened
   * (an `up -d` hands its session over to the background supervisor it starts).
   */
  session?: string;
}

export function requestFile(stateFile: string): string {
  return join(dirname(stateFile), 'down-request.json');
}

/**
 * Writes the request and nudges the supervisor. `nudge: false` for a supervisor that may still
 * be starting (the nudge's signal would end it before it listens): it reads the request file
 * when it claims the session.
 */
export function sendDownRequest(
  stateFile: string,
  supervisorPid: number,
  request: DownRequest,
  options: { nudge?: boolean } = {},
): void {
  const file = requestFile(stateFile);
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(request));
  renameSync(temp, file);
  if (options.nudge !== false) nudge(supervisorPid);
}

/**
 * How often the request file is looked for. Windows has no nudge: the poll is how a request
 * arrives there. Elsewhere the nudge brings it at once and the poll only backs it up, slowly: it
 * was the one thing that woke an idle session up, twice a second.
 */
const POLL_MS = process.platform === 'win32' ? 500 : 5000;

/** Calls `handler` for each down request. Returns a function that stops listening. */
export function listenForDown(
  stateFile: string,
  session: string,
  handler: (request: DownRequest) => void,
): () => void {
  const file = requestFile(stateFile);
  const check = (leftover = false) => {
    if (!existsSync(file)) return;
    let request: DownRequest;
    try {
      request = JSON.parse(readFileSync(file, 'utf8')) as DownRequest;
    } catch {
      return; // not complete yet: the next nudge or poll reads it
    }
    rmSync(file, { force: true });
    if (request.session === undefined ? leftover : request.session !== session) return;
    handler({
      services: Array.isArray(request.services) ? request.services : [],
      requestedBy: request.requestedBy,
      session,
    });
  };
  // A request already there: for this session (written during a hand-over), or a leftover.
  check(true);
  const stopListening = onNudge(() => check());
  const poll = setInterval(check, POLL_MS);
  poll.unref();
  return () => {
    clearInterval(poll);
    stopListening();
  };
}
