/**
 * Writing variables as a dotenv file that reads back exactly — every byte of every value — with
 * the three parsers a user points at it: the `dotenv` package, `node --env-file`, and
 * devlaunch's own `env_file` (which is the `dotenv` package). Neither parser has an escape that
 * both understand (dotenv turns `\n` and `\r` into line breaks inside double quotes, node only
 * `\n`; neither unescapes `\"`), so a value is written in the first form both read literally:
 *
 * 1. bare, for plain words (`8000`, `http://localhost:8000/api`);
 * 2. 'single quotes', the usual form: nothing inside is interpreted, line breaks included;
 * 3. "double quotes", for a value with a ' but no ", and no `\n` / `\r` text to misread;
 * 4. `backticks`, for a value with both ' and " but no backtick;
 * 5. bare again, for any other one-line value without #, quote or space at its ends.
 *
 * A quoted value must not end with a backslash (dotenv would read `\'` as an escaped quote and
 * run on to the next line). Carriage returns cannot be carried at all: dotenv turns them into
 * line feeds and node drops them. Such values are reported, never written wrong.
 */

/** Words that mean the same to every parser, unquoted. */
const PLAIN = /^[A-Za-z0-9_@%+=:,./-]*$/;

export type DotenvValue = { ok: true; text: string } | { ok: false; reason: string };

/** The value as it must be written after `NAME=`, or why no form carries it. */
export function dotenvValue(value: string): DotenvValue {
  if (PLAIN.test(value)) return { ok: true, text: value };
  if (value.includes('\r')) {
    return { ok: false, reason: 'it contains a carriage return (CR), which dotenv parsers drop' };
  }
  const quotable = !value.endsWith('\\');
  if (quotable && !value.includes("'")) return { ok: true, text: `'${value}'` };
  if (quotable && !value.includes('"') && !/\\[nr]/.test(value)) {
    return { ok: true, text: `"${value}"` };
  }
  if (quotable && !value.includes('`')) return { ok: true, text: `\`${value}\`` };
  if (!/[\n#]/.test(value) && !/^[\s'"`]/.test(value) && !/\s$/.test(value)) {
    return { ok: true, text: value };
  }
  return {
    ok: false,
    reason: 'it mixes \', " and ` with a line break, a #, or spaces or a backslash at its end',
  };
}
