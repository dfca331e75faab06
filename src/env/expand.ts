/**
 * `${...}` expansion of manifest values, pure. The forms:
 *
 * - `${VAR}`: the value of VAR (an empty value is a value); no value at all is reported as missing.
 * - `${VAR:-default}`: the default when VAR is unset or empty (as in POSIX sh);
 *   `${VAR-default}`: only when unset. The default may itself use `${...}` and `$$`, and is
 *   only looked at when it is used.
 * - `$$`: a literal `$`.
 * - A bare `$VAR` (no braces), or a `$` before anything else, is left as written: in a string
 *   command the shell then still expands it from the service's environment, as usual.
 *
 * Anything else inside `${...}` (a bad name, `${}`, no closing brace) is reported as invalid and
 * kept as written.
 */

/** The value of a name, or undefined when it has none. */
export type Lookup = (name: string) => string | undefined;

export interface Expansion {
  value: string;
  /** Names referenced without a default and without a value, in order, without repeats. */
  missing: string[];
  /** `${...}` expressions that are not valid, as written. */
  invalid: string[];
}

const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;

interface Scan {
  text: string;
  /** Index just past what was read (past the closing `}` in a default). */
  end: number;
  /** False when a default ran to the end of the text without its `}`. */
  closed: boolean;
  missing: string[];
  invalid: string[];
}

export function expand(template: string, lookup: Lookup): Expansion {
  const r = scan(template, 0, lookup, false);
  return { value: r.text, missing: [...new Set(r.missing)], invalid: r.invalid };
}

function scan(src: string, start: number, lookup: Lookup, inDefault: boolean): Scan {
  let text = '';
  const missing: string[] = [];
  const invalid: string[] = [];
  let i = start;
  while (i < src.length) {
    const ch = src[i];
    if (inDefault && ch === '}') return { text, end: i + 1, closed: true, missing, invalid };
    if (ch !== '$') {
      text += ch;
      i += 1;
      continue;
    }
    const next = src[i + 1];
    if (next === '$') {
      text += '$';
      i += 2;
      continue;
    }
    if (next !== '{') {
      text += '$';
      i += 1;
      continue;
    }
    const ref = braced(src, i, lookup);
    text += ref.text;
    missing.push(...ref.missing);
    invalid.push(...ref.invalid);
    i = ref.end;
  }
  return { text, end: i, closed: !inDefault, missing, invalid };
}

/** Reads the `${...}` starting at `at` (which points at the `$`). */
function braced(src: string, at: number, lookup: Lookup): Scan {
  NAME.lastIndex = at + 2;
  const match = NAME.exec(src);
  if (match !== null) {
    const name = match[0];
    const k = at + 2 + name.length;
    const value = lookup(name);
    if (src[k] === '}') {
      const missing = value === undefined ? [name] : [];
      return { text: value ?? '', end: k + 1, closed: true, missing, invalid: [] };
    }
    const colon = src.startsWith(':-', k);
    if (colon || src[k] === '-') {
      const fallback = scan(src, k + (colon ? 2 : 1), lookup, true);
      if (fallback.closed) {
        const useDefault = value === undefined || (colon && value === '');
        return {
          text: useDefault ? fallback.text : (value ?? ''),
          end: fallback.end,
          closed: true,
          // A default that is not used is not evaluated, so what it lacks does not matter.
          missing: useDefault ? fallback.missing : [],
          invalid: fallback.invalid,
        };
      }
    }
  }
  const close = src.indexOf('}', at);
  const end = close === -1 ? src.length : close + 1;
  const literal = src.slice(at, end);
  return { text: literal, end, closed: true, missing: [], invalid: [literal] };
}
