/**
 * Parsers for `lsof` listings of TCP sockets, on Linux and macOS: the field output
 * (`lsof -nP -iTCP -sTCP:LISTEN -FpcnL`), which devlaunch runs, and the human table
 * (`lsof -nP -iTCP -sTCP:LISTEN`), which users paste and older scripts produce.
 */
import type { Listener } from '../types.js';
import { splitHostPort } from './parse-ss.js';

/** A listener as lsof reports it: also the owner's login name when lsof printed one. */
export interface LsofListener extends Listener {
  user?: string;
}

/**
 * Parses lsof field output. Each line starts with a field letter: `p` opens a process set
 * (pid), `c` command, `L` login, `f` opens a file set, `n` its name (`127.0.0.1:5432`,
 * `*:8000`, `[::1]:3000`, or `a->b` for a connected socket, which is skipped), `T` TCP info
 * (`TST=LISTEN` when requested with `-T`; any other state is skipped).
 */
export function parseLsofF(text: string): LsofListener[] {
  const listeners: LsofListener[] = [];
  let pid: number | null = null;
  let command: string | undefined;
  let user: string | undefined;
  let file: LsofListener | null = null;
  const flush = () => {
    if (file) listeners.push(file);
    file = null;
  };
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    const tag = line[0];
    const value = line.slice(1);
    if (tag === 'p') {
      flush();
      pid = /^\d+$/.test(value) ? Number(value) : null;
      command = undefined;
      user = undefined;
    } else if (tag === 'c') {
      command = value;
    } else if (tag === 'L') {
      user = value;
    } else if (tag === 'f') {
      flush();
    } else if (tag === 'n') {
      // Without -Ff lsof may print several names in a row for one process: each is a socket.
      flush();
      const parsed = value.includes('->') ? null : splitHostPort(value);
      if (parsed && pid !== null) {
        file = { port: parsed.port, address: parsed.address, pid };
        if (command !== undefined) file.processName = command;
        if (user !== undefined) file.user = user;
      }
    } else if (tag === 'T' && value.startsWith('ST=') && value !== 'ST=LISTEN') {
      file = null;
    }
  }
  flush();
  return listeners;
}

/**
 * Parses the lsof table: `COMMAND PID USER FD TYPE DEVICE SIZE/OFF NODE NAME`, e.g.
 * `node 5257 root 19u IPv4 6834 0t0 TCP 127.0.0.1:46525 (LISTEN)`. Only TCP rows in the
 * LISTEN state are kept (UDP rows and connections are skipped), as are warning lines.
 * lsof escapes spaces in command names (`Google\x20`), so columns split on whitespace.
 */
export function parseLsofTable(text: string): LsofListener[] {
  const listeners: LsofListener[] = [];
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    const state = fields.at(-1);
    if (state !== '(LISTEN)' || fields.length < 5) continue;
    const name = fields.at(-2) ?? '';
    if (fields.at(-3) !== 'TCP' || name.includes('->')) continue;
    const parsed = splitHostPort(name);
    const pid = Number(fields[1]);
    if (!parsed || !Number.isInteger(pid) || pid <= 0) continue;
    listeners.push({
      port: parsed.port,
      address: parsed.address,
      pid,
      processName: (fields[0] ?? '').replace(/\\x20/g, ' '),
      user: fields[2] ?? '',
    });
  }
  return listeners;
}
