/**
 * Parser for Windows `tasklist /FO CSV /NH`: one quoted CSV row per process,
 * `"Image Name","PID","Session Name","Session#","Mem Usage"`, e.g.
 * `"node.exe","1234","Console","1","45,678 K"`. The memory column contains the locale's
 * thousands separator (a comma inside quotes), so fields are split on quotes, not commas.
 */

export interface TasklistEntry {
  name: string;
  pid: number;
}

export function parseTasklistCsv(text: string): TasklistEntry[] {
  const entries: TasklistEntry[] = [];
  for (const line of text.split(/\r?\n/)) {
    const fields = splitCsvLine(line.trim());
    const [name, pidText] = fields;
    // A header row (when run without /NH) has "PID" here and is skipped like any non-number.
    if (!name || !pidText || !/^\d+$/.test(pidText)) continue;
    entries.push({ name, pid: Number(pidText) });
  }
  return entries;
}

/** Splits one CSV row with `"` quoting and `""` as an escaped quote. */
function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        current += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
      } else {
        current += ch;
      }
    } else if (ch === '"') {
      quoted = true;
    } else if (ch === ',') {
      fields.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  if (line.length > 0) fields.push(current);
  return fields;
}
