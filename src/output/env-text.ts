/**
 * The variables of `devlaunch env` as text: `--shell` (`export NAME=value`, for
 * `eval "$(devlaunch env --shell)"`) or dotenv lines that dotenv, `node --env-file` and
 * `env_file` read back exactly.
 */
import { dotenvValue } from '../env/index.js';
import { DevlaunchError } from '../errors.js';

/** `export NAME=value` lines, values in POSIX shell quotes. */
export function shellLines(vars: Record<string, string>): string[] {
  return Object.entries(vars).map(([k, v]) => `export ${k}=${shellQuote(v)}`);
}

/** POSIX shell single quotes: safe for any value. */
export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}

/** `NAME=value` lines that dotenv, node --env-file and env_file read back exactly, or an error. */
export function dotenvLines(vars: Record<string, string>): string[] {
  const lines: string[] = [];
  const refused: string[] = [];
  for (const [name, value] of Object.entries(vars)) {
    const written = dotenvValue(value);
    if (written.ok) lines.push(`${name}=${written.text}`);
    else refused.push(`${name}: ${written.reason}`);
  }
  if (refused.length > 0) {
    throw new DevlaunchError(
      'NOT_REPRESENTABLE',
      `no dotenv quoting carries ${refused.length === 1 ? 'this value' : 'these values'} exactly, so nothing was written:\n  ${refused.join('\n  ')}`,
      { hint: 'devlaunch env --json and devlaunch env --shell carry any value.' },
    );
  }
  return lines;
}
