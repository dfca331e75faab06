/**
 * Plain aligned columns for terminals. Cells may be coloured: widths are measured without ANSI
 * escape sequences, so painted headers or states still line up.
 */

// SGR and other CSI sequences (colours, styles), plus OSC 8 hyperlinks.
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/** Columns a string takes on a terminal (code points, escape sequences excluded). */
export function visibleWidth(text: string): number {
  let width = 0;
  for (const _ of stripAnsi(text)) width += 1;
  return width;
}

/**
 * Aligned columns separated by two spaces, one line per row, headers first; no trailing spaces
 * and no final newline. Missing cells are empty.
 */
export function renderTable(headers: string[], rows: string[][]): string {
  const all = [headers, ...rows];
  const columns = Math.max(...all.map((row) => row.length));
  const widths: number[] = [];
  for (let c = 0; c < columns; c++) {
    widths.push(Math.max(...all.map((row) => visibleWidth(row[c] ?? ''))));
  }
  return all
    .map((row) => {
      const cells: string[] = [];
      for (let c = 0; c < columns; c++) {
        const cell = row[c] ?? '';
        const pad = (widths[c] ?? 0) - visibleWidth(cell);
        cells.push(c === columns - 1 ? cell : cell + ' '.repeat(pad));
      }
      return cells.join('  ').trimEnd();
    })
    .join('\n');
}
