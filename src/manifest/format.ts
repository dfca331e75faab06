/**
 * Prints diagnostics compiler style (like tsc and rustc): position, key path and message, what
 * was expected and found, the source line with the spot underlined, and a hint.
 */
import { isAbsolute, relative } from 'node:path';
import type { Diagnostic, KeyPath } from './diagnostics.js';

/** `services.backend.command[1]`. */
export function formatPath(path: KeyPath): string {
  return path
    .map((segment, i) => {
      if (typeof segment === 'number') return `[${segment}]`;
      const name = segment === '' ? '""' : segment;
      return i === 0 ? name : `.${name}`;
    })
    .join('');
}

/** The file as the user would type it: relative when it is inside the current directory. */
export function displayFile(file: string, cwd = process.cwd()): string {
  const rel = relative(cwd, file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

/** How many characters from `column` (1-based) make up the token there: a key, a value, a quoted string. */
export function tokenLength(line: string, column: number): number {
  const rest = line.slice(column - 1);
  if (rest === '') return 1;
  const open = rest[0]!;
  if (open === '"' || open === "'") {
    const close = rest.indexOf(open, 1);
    return close > 0 ? close + 1 : rest.length;
  }
  if (open === '[' || open === '{') {
    const closer = open === '[' ? ']' : '}';
    let depth = 0;
    for (let i = 0; i < rest.length; i++) {
      if (rest[i] === open) depth++;
      else if (rest[i] === closer && --depth === 0) return i + 1;
    }
    return rest.length;
  }
  let end = rest.search(/\s#/);
  if (end < 0) end = rest.length;
  // A key ends at its colon; a value such as http://x:80 has no space after its colons.
  const colon = rest.slice(0, end).search(/:(\s|$)/);
  if (colon >= 0) end = colon;
  // Inside a flow list or map the token ends at the next separator.
  const flow = rest.slice(0, end).search(/[,\]}]/);
  if (flow > 0) end = flow;
  return Math.max(1, rest.slice(0, end).trimEnd().length);
}

/** Longest source line printed whole; a longer one is cut to a window around the spot. */
const MAX_SHOWN = 120;

/**
 * The source line as printed, one column per character: tabs as spaces, control characters
 * as their visible symbols (NUL as ␀), and a long line (a minified or broken file) cut to a
 * window around `column`. Returns the line and where `column` is in it.
 */
export function excerpt(source: string, column: number): { shown: string; column: number } {
  const line = source
    .replace(/\t/g, ' ')
    .replace(/[\u0000-\u001f\u007f]/g, (c) =>
      c === '\u007f' ? '\u2421' : String.fromCharCode(0x2400 + c.charCodeAt(0)),
    );
  if (line.length <= MAX_SHOWN) return { shown: line, column };
  const start = Math.max(0, Math.min(column - 1 - 40, line.length - MAX_SHOWN));
  const end = start + MAX_SHOWN;
  const head = start > 0 ? '…' : '';
  const tail = end < line.length ? '…' : '';
  return { shown: head + line.slice(start, end) + tail, column: column - start + head.length };
}

export function formatDiagnostics(diags: Diagnostic[], text: string, color: boolean): string {
  const sgr = (open: number, close: number) => (s: string) =>
    color ? `\u001b[${open}m${s}\u001b[${close}m` : s;
  const red = sgr(31, 39);
  const bold = sgr(1, 22);
  const dim = sgr(2, 22);
  const cyan = sgr(36, 39);
  const lines = text.split(/\r?\n/);
  // A loop, not Math.max(...): spread arguments overflow the stack past ~10⁵ diagnostics.
  const width = diags.reduce((w, d) => Math.max(w, String(d.line).length + 1), 4);
  const blocks = diags.map((d) => {
    const where = `${displayFile(d.file)}:${d.line}:${d.column}`;
    const path = d.path.length > 0 ? ` ${formatPath(d.path)}:` : ':';
    const out = [`${bold(where)} ${red(bold('error'))}${bold(path)} ${d.message}`];
    if (d.expected !== undefined) out.push(`  ${dim('expected:')} ${d.expected}`);
    if (d.found !== undefined) out.push(`  ${dim('found:')}    ${d.found}`);
    // No source to show for a file that could not be read, or is empty.
    const source = text === '' ? undefined : lines[d.line - 1];
    if (source !== undefined) {
      const { shown, column } = excerpt(source, d.column);
      const gutter = ' '.repeat(width);
      out.push(`${dim(`${String(d.line).padStart(width)} |`)} ${shown}`);
      const carets = '^'.repeat(
        Math.max(1, Math.min(tokenLength(shown, column), shown.length + 1 - column)),
      );
      out.push(`${dim(`${gutter} |`)} ${' '.repeat(column - 1)}${red(carets)}`);
    }
    if (d.hint !== undefined) out.push(`  ${cyan('hint:')} ${d.hint}`);
    return out.join('\n');
  });
  const files = [...new Set(diags.map((d) => displayFile(d.file)))].join(', ');
  const count = `${diags.length} error${diags.length === 1 ? '' : 's'}`;
  return `${blocks.join('\n\n')}\n\n${red(bold(count))} in ${files}\n`;
}
