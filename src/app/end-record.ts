/**
 * Remembers why a session ends — the first stop reason and every service failure — and writes
 * it to `.devlaunch/` once the session is over, for `status` to report when nothing runs.
 */
import { assertNever } from '../errors.js';
import type { StopReason, SupervisorEvent } from '../output/events.js';
import { writeLastSession } from '../state/index.js';

/** Why a session ended, in words. Pure. */
export function endReason(
  reason: StopReason | null,
  failures: ReadonlyMap<string, string>,
): string {
  const failed = [...failures].map(([service, why]) => `${service} ${why}`).join('; ');
  if (reason === null) return failed || 'it ended';
  switch (reason.kind) {
    case 'failure':
      return failed || `${reason.service} failed`;
    case 'signal':
      return `stopped by ${reason.signal}${failed ? ` (after: ${failed})` : ''}`;
    case 'down':
      return `stopped by devlaunch down${failed ? ` (after: ${failed})` : ''}`;
    case 'finished':
      return failed || 'every service ended by itself';
    case 'command-exited':
      return `the command of devlaunch run exited${reason.code === null ? '' : ` with code ${reason.code}`}${failed ? ` (after: ${failed})` : ''}`;
    default:
      return assertNever(reason);
  }
}

export class EndRecord {
  private reason: StopReason | null = null;
  private readonly failures = new Map<string, string>();

  constructor(
    private readonly stateFile: string,
    private readonly session: string,
  ) {}

  /** Feed it the supervisor's events. */
  readonly listener = (event: SupervisorEvent): void => {
    if (event.type === 'stopping') this.reason ??= event.reason;
    else if (event.type === 'service-failed') this.failures.set(event.service, event.reason);
  };

  /** Writes the record; a state folder that cannot be written costs only this record. */
  write(): void {
    try {
      writeLastSession(this.stateFile, {
        session: this.session,
        endedAt: new Date().toISOString(),
        reason: endReason(this.reason, this.failures),
      });
    } catch {}
  }
}
