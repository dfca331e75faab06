/**
 * The one table of services (the all-ready table of `up`, `up -d` and `status`): each command
 * picks its columns; a cell is written the same way everywhere.
 */
import { renderTable } from './table.js';

export interface ServiceRow {
  name: string;
  url: string | null;
  pid: number | null;
  /** `primary` and the named ports. */
  ports: Record<string, number>;
  state?: string;
  /** Already formatted, e.g. `3m12s`; `-` when not running. */
  uptime?: string;
  restarts?: number;
}

export type ServiceColumn =
  | 'SERVICE'
  | 'STATE'
  | 'URL'
  | 'PID'
  | 'PORT'
  | 'PORTS'
  | 'UPTIME'
  | 'RESTARTS';

/** `3000, debug=9229`: the primary port first, then the named ones by name; `-` for none. */
export function portsText(ports: Record<string, number>): string {
  const entries = Object.entries(ports);
  if (entries.length === 0) return '-';
  return entries
    .sort(([a], [b]) => (a === 'primary' ? -1 : b === 'primary' ? 1 : a.localeCompare(b)))
    .map(([name, port]) => (name === 'primary' ? String(port) : `${name}=${port}`))
    .join(', ');
}

function cell(row: ServiceRow, column: ServiceColumn): string {
  switch (column) {
    case 'SERVICE':
      return row.name;
    case 'STATE':
      return row.state ?? '-';
    case 'URL':
      return row.url ?? '-';
    case 'PID':
      return row.pid === null ? '-' : String(row.pid);
    case 'PORT':
    case 'PORTS':
      return portsText(row.ports);
    case 'UPTIME':
      return row.uptime ?? '-';
    case 'RESTARTS':
      return row.restarts === undefined ? '-' : String(row.restarts);
  }
}

export function renderServiceTable(
  rows: readonly ServiceRow[],
  columns: readonly ServiceColumn[],
  header: (text: string) => string = (text) => text,
): string {
  return renderTable(
    columns.map(header),
    rows.map((row) => columns.map((column) => cell(row, column))),
  );
}
