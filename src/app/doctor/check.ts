/** The result of one `devlaunch doctor` check: what was looked at, how it is, what to do. */
import type { Diagnostic } from '../../manifest/index.js';

export type CheckStatus = 'ok' | 'warn' | 'error';

/** One line of `doctor`, and one element of `doctor --json`. */
export interface CheckResult {
  /** What was checked, e.g. `manifest`, `port 8000`, `tool ss`. */
  check: string;
  status: CheckStatus;
  /** What was found, one sentence. */
  message: string;
  /** What to do about it; null when nothing needs doing. */
  hint: string | null;
  /** The manifest check of an invalid manifest: every problem, as `config` reports them. */
  diagnostics?: Diagnostic[];
  /** Text of the invalid manifest, to print the diagnostics with their source lines. */
  source?: string;
}

export const ok = (check: string, message: string, hint: string | null = null): CheckResult => ({
  check,
  status: 'ok',
  message,
  hint,
});

export const warn = (check: string, message: string, hint: string | null = null): CheckResult => ({
  check,
  status: 'warn',
  message,
  hint,
});

export const error = (check: string, message: string, hint: string | null = null): CheckResult => ({
  check,
  status: 'error',
  message,
  hint,
});

/** `1 port`, `2 ports`. */
export function plural(count: number, word: string, many = `${word}s`): string {
  return `${count} ${count === 1 ? word : many}`;
}
