/**
 * How the last session ended, kept beside the session state so that `status` can say, when
 * nothing runs, when and why (`backend exited with code 1`). Written atomically when a
 * session ends; read defensively (a missing or unreadable record is null).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from './atomic-write.js';

export interface LastSession {
  session: string;
  /** ISO 8601. */
  endedAt: string;
  /** Why it ended, in words: `backend exited with code 1`, `stopped by devlaunch down`. */
  reason: string;
}

/** `last-session.json` beside a session's state file. */
export function lastSessionFile(stateFile: string): string {
  return join(dirname(stateFile), 'last-session.json');
}

export function writeLastSession(stateFile: string, record: LastSession): void {
  writeFileAtomic(lastSessionFile(stateFile), `${JSON.stringify(record, null, 2)}\n`, {
    durable: false,
  });
}

export function readLastSession(stateFile: string): LastSession | null {
  try {
    const data = JSON.parse(
      readFileSync(lastSessionFile(stateFile), 'utf8'),
    ) as Partial<LastSession>;
    if (
      typeof data.session !== 'string' ||
      typeof data.endedAt !== 'string' ||
      typeof data.reason !== 'string'
    ) {
      return null;
    }
    return {
      session: data.session,
      endedAt: data.endedAt,
      reason: data.reason,
    };
  } catch {
    return null;
  }
}
