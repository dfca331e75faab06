/**
 * The one error type devlaunch raises for things the user can act on. The CLI boundary
 * (`cli/main.ts`) prints `message` and `hint` without a stack and exits with `exitCode`.
 * Anything else that escapes is a bug and is printed with its stack.
 */

/** Exit codes of the contract (SPEC "Exit codes"). */
export const ExitCode = {
  ok: 0,
  serviceFailed: 1,
  usage: 2,
  portConflict: 3,
  sighup: 129,
  sigint: 130,
  sigterm: 143,
} as const;

export type ErrorCode =
  | 'MANIFEST_NOT_FOUND'
  | 'MANIFEST_INVALID'
  | 'USAGE'
  | 'NOT_IMPLEMENTED'
  | 'PORT_CONFLICT'
  | 'PORT_FORBIDDEN'
  | 'SESSION_RUNNING'
  | 'SERVICE_FAILED'
  | 'STATE_INVALID'
  | 'KILL_REFUSED'
  | 'NOT_REPRESENTABLE'
  /** The control channel of a session whose supervisor is gone. */
  | 'SUPERVISOR_GONE'
  /** `restart`, `up SERVICE` into a session, `status`: no session runs (LSB "not running"). */
  | 'NO_SESSION';

export interface DevlaunchErrorOptions {
  hint?: string;
  exitCode?: number;
  cause?: unknown;
}

const defaultExit: Record<ErrorCode, number> = {
  MANIFEST_NOT_FOUND: ExitCode.usage,
  MANIFEST_INVALID: ExitCode.usage,
  USAGE: ExitCode.usage,
  NOT_IMPLEMENTED: ExitCode.usage,
  PORT_CONFLICT: ExitCode.portConflict,
  PORT_FORBIDDEN: ExitCode.portConflict,
  SESSION_RUNNING: ExitCode.portConflict,
  SERVICE_FAILED: ExitCode.serviceFailed,
  STATE_INVALID: ExitCode.serviceFailed,
  KILL_REFUSED: ExitCode.portConflict,
  NOT_REPRESENTABLE: ExitCode.serviceFailed,
  SUPERVISOR_GONE: ExitCode.serviceFailed,
  NO_SESSION: ExitCode.portConflict,
};

/**
 * Marks devlaunch's errors across bundles: each command is loaded as its own bundle with its
 * own copy of this class, so an error thrown in one (the yargs parser's usage error, say) is
 * not an `instanceof` the copy the error reporter holds.
 */
const brand: unique symbol = Symbol.for('devlaunch.error');

export class DevlaunchError extends Error {
  readonly [brand] = true;
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly exitCode: number;

  constructor(code: ErrorCode, message: string, options: DevlaunchErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DevlaunchError';
    this.code = code;
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? defaultExit[code];
  }
}

export function isDevlaunchError(error: unknown): error is DevlaunchError {
  return error instanceof Error && (error as Partial<DevlaunchError>)[brand] === true;
}

/** For exhaustive switches: a new variant that is not handled becomes a compile error. */
export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}
