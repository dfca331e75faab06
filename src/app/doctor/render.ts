/** How doctor's results are printed: one line per check, its hint below, a summary last. */
import { formatDiagnostics } from '../../manifest/index.js';
import type { Painter } from '../../output/colors.js';
import type { CheckResult } from './check.js';
import { plural } from './check.js';

export function renderText(results: readonly CheckResult[], color: Painter): string {
  const width = Math.max(...results.map((r) => r.check.length));
  const mark = (r: CheckResult) => {
    const text = r.status.padEnd(5);
    return r.status === 'ok'
      ? color.green(text)
      : r.status === 'warn'
        ? color.yellow(text)
        : color.red(text);
  };
  const out: string[] = [];
  for (const r of results) {
    out.push(`${mark(r)} ${color.bold(r.check.padEnd(width))}  ${r.message}`);
    if (r.hint !== null && r.status !== 'ok') {
      out.push(`${' '.repeat(6 + width + 2)}${color.dim('→')} ${r.hint}`);
    }
    if (r.diagnostics !== undefined && r.source !== undefined) {
      out.push('', formatDiagnostics(r.diagnostics, r.source, color.enabled).trimEnd(), '');
    }
  }
  const errors = results.filter((r) => r.status === 'error').length;
  const warnings = results.filter((r) => r.status === 'warn').length;
  out.push(
    '',
    errors + warnings === 0
      ? color.green('no problems found')
      : `${errors > 0 ? color.red(plural(errors, 'error')) : '0 errors'}, ${plural(warnings, 'warning')}`,
  );
  return `${out.join('\n')}\n`;
}

/** `doctor --json`: every result as {check, status, message, hint} (+ diagnostics). */
export function renderJson(results: readonly CheckResult[]): string {
  const data = results.map(({ source: _source, ...rest }) => rest);
  return `${JSON.stringify(data, null, 2)}\n`;
}
