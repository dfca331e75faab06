/** When a service that exited is started again (SPEC `restart`, `max_restarts`). Pure. */
import type { RestartPolicy } from '../manifest/types.js';

const FIRST_DELAY_MS = 500;
const MAX_DELAY_MS = 30_000;

export interface ExitFacts {
  code: number | null;
  policy: RestartPolicy;
  /** Restarts already made. */
  restarts: number;
  maxRestarts: number;
}

/** Whether to restart, and if so after how long: waits double from 500 ms up to 30 s. */
export function restartDecision(
  facts: ExitFacts,
): { restart: false } | { restart: true; delayMs: number } {
  const failed = facts.code !== 0;
  const wanted = facts.policy === 'always' || (facts.policy === 'on-failure' && failed);
  if (!wanted || facts.restarts >= facts.maxRestarts) return { restart: false };
  return { restart: true, delayMs: Math.min(FIRST_DELAY_MS * 2 ** facts.restarts, MAX_DELAY_MS) };
}
