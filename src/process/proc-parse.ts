/**
 * Pure parsers for what the OS tells about processes: /proc/PID/stat and /etc/passwd on
 * Linux, `ps` output on macOS. Kept free of I/O so they are tested on recorded text.
 */

/** The fields of /proc/PID/stat devlaunch uses. */
export interface ProcStat {
  pid: number;
  comm: string;
  /** One letter: R running, S sleeping, Z zombie, X dead, ... */
  state: string;
  ppid: number;
  pgid: number;
  /** Session id (setsid). */
  sid: number;
  /** Clock ticks since boot, as a decimal string: the process identity token on Linux. */
  startTime: string;
}

/**
 * Parses /proc/PID/stat. `comm` is in parentheses and may itself contain spaces and ')', so
 * the fields are split after the LAST ')' (the kernel never escapes it). Returns null for
 * text that is not a stat line.
 */
export function parseProcStat(text: string): ProcStat | null {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const pid = Number(text.slice(0, open).trim());
  const comm = text.slice(open + 1, close);
  // After ')': state(3) ppid(4) pgrp(5) session(6) tty_nr(7) tpgid(8) flags(9) minflt(10)
  // cminflt(11) majflt(12) cmajflt(13) utime(14) stime(15) cutime(16) cstime(17)
  // priority(18) nice(19) num_threads(20) itrealvalue(21) starttime(22).
  const rest = text
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  const state = rest[0];
  const startTime = rest[19];
  if (!Number.isInteger(pid) || pid <= 0 || state === undefined || startTime === undefined) {
    return null;
  }
  if (!/^\d+$/.test(startTime)) return null;
  return {
    pid,
    comm,
    state,
    ppid: Number(rest[1]),
    pgid: Number(rest[2]),
    sid: Number(rest[3]),
    startTime,
  };
}

/** Maps uid to user name from the text of /etc/passwd (first entry wins, as getpwuid does). */
export function parsePasswd(text: string): Map<number, string> {
  const users = new Map<number, string>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const fields = line.split(':');
    const name = fields[0];
    const uid = Number(fields[2]);
    if (!name || fields[2] === undefined || fields[2] === '' || !Number.isInteger(uid)) continue;
    if (!users.has(uid)) users.set(uid, name);
  }
  return users;
}

/** One row of `ps -A -o pid=,ppid=,pgid=,uid=,user=,lstart=,command=` (macOS). */
export interface PsRow {
  pid: number;
  ppid: number;
  pgid: number;
  uid: number;
  user: string;
  /** Start in ms since the epoch (lstart has whole seconds), as a decimal string. */
  startTime: string;
  startedAt: string;
  command: string;
}

// lstart is always five fields, e.g. "Mon Nov 20 10:15:32 2023" (local time).
const psLine =
  /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(-?\d+)\s+(\S+)\s+\w{3}\s+(\w{3})\s+(\d{1,2})\s+(\d{1,2}):(\d{2}):(\d{2})\s+(\d{4})\s?(.*)$/;
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Parses the output of `ps -A -o pid=,ppid=,pgid=,uid=,user=,lstart=,command=`. */
export function parsePsOutput(text: string): PsRow[] {
  const rows: PsRow[] = [];
  for (const line of text.split('\n')) {
    const m = psLine.exec(line);
    if (m === null) continue;
    const [, pid, ppid, pgid, uid, user, mon, day, hh, mm, ss, year, command] = m;
    const month = months.indexOf(mon ?? '');
    if (month < 0) continue;
    const start = new Date(
      Number(year),
      month,
      Number(day),
      Number(hh),
      Number(mm),
      Number(ss),
    ).getTime();
    rows.push({
      pid: Number(pid),
      ppid: Number(ppid),
      pgid: Number(pgid),
      uid: Number(uid),
      user: user ?? '',
      startTime: String(start),
      startedAt: new Date(start).toISOString(),
      command: (command ?? '').trim(),
    });
  }
  return rows;
}
