/**
 * Where dynamic ports (`port: auto`, `--dynamic`, a remap with no candidate left, the
 * dashboard's any-port) come from: outside the kernel's ephemeral range. The OS picks the local
 * port of every outgoing connection, and the port of every `listen(0)`, from that range, so a
 * port taken from it (as asking the OS for a free port does) can be taken by any process's
 * next connection in the moment between devlaunch handing it out and the service binding it;
 * the service then fails with EADDRINUSE. A port outside the range is never picked by the OS:
 * only a process binding that very number can take it.
 */
import { readFileSync } from 'node:fs';
import { runTool } from '../process/launch.js';

export interface PortRange {
  from: number;
  to: number;
}

/** IANA's dynamic range (the default on Windows and macOS): used wherever the range cannot be read. */
export const IANA_EPHEMERAL: PortRange = { from: 49152, to: 65535 };
/**
 * Ports below the ephemeral range are taken from here up: below it live the well-known dev
 * servers (3000, 5173, 5432, 8000, 8080...), which a dynamic port should not take from them.
 */
export const LOW_FLOOR = 10000;
/** Random tries per pool before the next pool, then the OS's own choice. */
export const TRIES_PER_POOL = 64;

/** `/proc/sys/net/ipv4/ip_local_port_range` ("32768\t60999"), or null when malformed. */
export function parseLinuxPortRange(text: string): PortRange | null {
  const match = /^\s*(\d+)\s+(\d+)\s*$/.exec(text);
  return match ? checked(Number(match[1]), Number(match[2])) : null;
}

/**
 * `sysctl -n net.inet.ip.portrange.first net.inet.ip.portrange.last` (macOS, FreeBSD): the two
 * numbers on two lines, or null when the output is not that.
 */
export function parseSysctlPortRange(text: string): PortRange | null {
  const numbers = text.trim().split(/\s+/);
  if (numbers.length !== 2 || !numbers.every((n) => /^\d+$/.test(n))) return null;
  return checked(Number(numbers[0]), Number(numbers[1]));
}

/**
 * `netsh interface ipv4 show dynamicport protocol=tcp` (Windows): two `label : number` lines,
 * the start port then the number of ports. Labels are localised, so only the numbers are read.
 *
 *     Protocol tcp Dynamic Port Range
 *     ---------------------------------
 *     Start Port      : 49152
 *     Number of Ports : 16384
 */
export function parseNetshDynamicPort(text: string): PortRange | null {
  const numbers = [...text.matchAll(/:\s*(\d+)\s*$/gm)].map((m) => Number(m[1]));
  if (numbers.length !== 2) return null;
  const [start, count] = numbers as [number, number];
  return count >= 1 ? checked(start, start + count - 1) : null;
}

function checked(from: number, to: number): PortRange | null {
  return from >= 1 && to <= 65535 && from <= to ? { from, to } : null;
}

/**
 * The ranges dynamic ports are picked from, best first: above the ephemeral range (on Linux
 * 61000–65535, where nothing else picks ports), then below it down to LOW_FLOOR. Empty when the
 * ephemeral range covers both (then only the OS's choice is left).
 */
export function dynamicPools(ephemeral: PortRange): PortRange[] {
  const pools: PortRange[] = [];
  if (ephemeral.to < 65535) pools.push({ from: ephemeral.to + 1, to: 65535 });
  if (ephemeral.from - 1 >= LOW_FLOOR) pools.push({ from: LOW_FLOOR, to: ephemeral.from - 1 });
  return pools;
}

/**
 * A port from `pools`: up to `tries` random numbers in each pool in turn (random, so parallel
 * sessions rarely try the same number and a port a session just let go is not handed out
 * again at once), the first one `usable` accepts. Never one of `skip`. null when none was.
 */
export async function pickFromPools(
  pools: readonly PortRange[],
  usable: (port: number) => Promise<boolean>,
  opts: { skip?: ReadonlySet<number>; tries?: number; random?: () => number } = {},
): Promise<number | null> {
  const random = opts.random ?? Math.random;
  const tried = new Set(opts.skip ?? []);
  for (const pool of pools) {
    const size = pool.to - pool.from + 1;
    for (let i = 0; i < (opts.tries ?? TRIES_PER_POOL); i++) {
      const port = pool.from + Math.min(size - 1, Math.floor(random() * size));
      if (tried.has(port)) continue;
      tried.add(port);
      if (await usable(port)) return port;
    }
  }
  return null;
}

let cached: Promise<PortRange> | null = null;

/** This machine's ephemeral port range, read once per process. */
export function ephemeralRange(): Promise<PortRange> {
  cached ??= readEphemeralRange();
  return cached;
}

async function readEphemeralRange(): Promise<PortRange> {
  if (process.platform === 'linux') {
    return (
      parseLinuxPortRange(readProcFile('/proc/sys/net/ipv4/ip_local_port_range')) ?? IANA_EPHEMERAL
    );
  }
  if (process.platform === 'darwin' || process.platform === 'freebsd') {
    const text = await runTool('sysctl', [
      '-n',
      'net.inet.ip.portrange.first',
      'net.inet.ip.portrange.last',
    ]);
    return (text === null ? null : parseSysctlPortRange(text)) ?? IANA_EPHEMERAL;
  }
  if (process.platform === 'win32') {
    const text = await runTool('netsh', [
      'interface',
      'ipv4',
      'show',
      'dynamicport',
      'protocol=tcp',
    ]);
    return (text === null ? null : parseNetshDynamicPort(text)) ?? IANA_EPHEMERAL;
  }
  return IANA_EPHEMERAL;
}

/** A /proc file's text ('' when unreadable): read at once, it never waits on a disk. */
function readProcFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
