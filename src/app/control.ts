/**
 * How `devlaunch down` asks a running supervisor (attached in another terminal, or detached) to
 * stop: it writes a request file beside the session state, then nudges the supervisor with
 * SIGUSR2 (POSIX). The supervisor also polls for the file, which is the only channel on Windows,
 * where there are no user signals. A request file is written atomically, like the state.
 */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface DownRequest {
  /** Services to stop (with their dependents); empty: the whole session. */
  services: string[];
  requestedBy: number;
}

export function requestFile(stateFile: string): string {
  return join(dirname(stateFile), 'down-request.json');
}

export function sendDownRequest(
  stateFile: string,
  supervisorPid: number,
  request: DownRequest,
): void {
  const file = requestFile(stateFile);
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(request));
  renameSync(temp, file);
  if (process.platform !== 'win32') {
    try {
      process.kill(supervisorPid, 'SIGUSR2');
    } catch {}
  }
}

/** Calls `handler` for each down request. Returns a function that stops listening. */
export function listenForDown(
  stateFile: string,
  handler: (request: DownRequest) => void,
): () => void {
  const file = requestFile(stateFile);
  rmSync(file, { force: true });
  const check = () => {
    if (!existsSync(file)) return;
    let request: DownRequest;
    try {
      request = JSON.parse(readFileSync(file, 'utf8')) as DownRequest;
    } catch {
      return; // not complete yet: the next nudge or poll reads it
    }
    rmSync(file, { force: true });
    handler({
      services: Array.isArray(request.services) ? request.services : [],
      requestedBy: request.requestedBy,
    });
  };
  const onSignal = () => check();
  if (process.platform !== 'win32') process.on('SIGUSR2', onSignal);
  const poll = setInterval(check, 500);
  poll.unref();
  return () => {
    clearInterval(poll);
    if (process.platform !== 'win32') process.off('SIGUSR2', onSignal);
    rmSync(file, { force: true });
  };
}
