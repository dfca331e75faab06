/**
 * Process helpers for end-to-end tests: a registry of every process a test starts (killed by
 * pid and process group in afterEach, pass or fail), bounded polls, line waiting, and a scan
 * of the process table for survivors carrying a marker in their environment.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { LineReader } from './lines.js';

interface Tracked {
  pid: number;
  startTime: string | null;
}

export { LineReader, linesOf, waitForLine } from './lines.js';

const tracked: Tracked[] = [];
const markers = new Set<string>();

/** Linux /proc/PID/stat: [state, pgid, startTime], or null if gone. */
function stat(pid: number): { state: string; pgid: number; startTime: string } | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: f[0] ?? '', pgid: Number(f[2]), startTime: f[19] ?? '' };
  } catch {
    return null;
  }
}

/** Alive and not a zombie. */
export function isAlive(pid: number): boolean {
  const s = stat(pid);
  if (s !== null) return s.state !== 'Z' && s.state !== 'X';
  if (process.platform === 'linux') return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Registers a pid to SIGKILL (and its group, if it leads one) in cleanupTracked(). */
export function track(pid: number | undefined): void {
  if (pid === undefined) return;
  tracked.push({ pid, startTime: stat(pid)?.startTime ?? null });
}

/** Registers an environment marker: cleanupTracked() kills every process carrying it. */
export function trackMarker(marker: string): void {
  markers.add(marker);
}

export interface ProgramOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** `pipe` keeps stdin open (a program that waits on it lives on). Default `ignore`. */
  stdin?: 'ignore' | 'pipe';
  /** Leads its own process group. Default false. */
  detached?: boolean;
  /** How long to wait for the ready line. Default 10000. */
  timeoutMs?: number;
}

export interface Program {
  child: ChildProcess;
  pid: number;
  /** The ready line's match. */
  match: RegExpExecArray;
  stdout: LineReader;
}

/**
 * Starts `command args` (tracked, so killed by pid when the test ends, pass or fail) and waits,
 * bounded, for a line of its stdout matching `ready`. A program that exits first, or stays
 * silent, fails the wait with what it printed on stdout and stderr.
 */
export async function startProgram(
  command: string,
  args: readonly string[],
  ready: RegExp,
  opts: ProgramOptions = {},
): Promise<Program> {
  const child = spawn(command, args, {
    env: opts.env ?? process.env,
    cwd: opts.cwd,
    stdio: [opts.stdin ?? 'ignore', 'pipe', 'pipe'],
    detached: opts.detached ?? false,
  });
  track(child.pid);
  const stdout = new LineReader(child.stdout!);
  const stderr = new LineReader(child.stderr!);
  try {
    const match = await stdout.waitFor(ready, opts.timeoutMs ?? 10_000);
    return { child, pid: child.pid!, match, stdout };
  } catch (error) {
    throw new Error(`${(error as Error).message}\nstderr:\n${stderr.text()}`);
  }
}

function sameProcess(t: Tracked): boolean {
  const s = stat(t.pid);
  if (s === null) return process.platform !== 'linux' && isAlive(t.pid);
  return s.state !== 'Z' && (t.startTime === null || s.startTime === t.startTime);
}

/** SIGKILLs everything tracked that is still alive (never a reused pid), then waits until gone. */
export async function cleanupTracked(): Promise<void> {
  const victims: number[] = [];
  for (const t of tracked.splice(0)) {
    if (!sameProcess(t)) continue;
    const s = stat(t.pid);
    if (s !== null && s.pgid === t.pid) {
      try {
        process.kill(-t.pid, 'SIGKILL');
      } catch {}
    }
    try {
      process.kill(t.pid, 'SIGKILL');
    } catch {}
    victims.push(t.pid);
  }
  for (const marker of [...markers]) {
    markers.delete(marker);
    for (const pid of survivors(marker)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {}
      victims.push(pid);
    }
  }
  await waitFor(() => victims.every((pid) => !isAlive(pid)), {
    timeoutMs: 5000,
    what: `tracked processes ${victims.join(', ')} to die after SIGKILL`,
  });
}

export interface WaitOptions {
  /** Default 5000. */
  timeoutMs?: number;
  /** Default 20. */
  intervalMs?: number;
  /** What is awaited, for the error message. */
  what: string;
}

type Truthy<T> = Exclude<T, false | null | undefined | 0 | ''>;

/** Polls `predicate` until it returns a truthy value (returned), or throws naming `what`. */
export async function waitFor<T>(
  predicate: () => T | Promise<T>,
  { timeoutMs = 5000, intervalMs = 20, what }: WaitOptions,
): Promise<Truthy<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await predicate();
    if (value) return value as Truthy<T>;
    if (Date.now() >= deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * Live processes (zombies excluded) whose environment contains `marker`, e.g. a unique
 * DEVLAUNCH_SESSION value or `TEST_MARKER=<uuid>`. Linux only (reads /proc). Counting
 * survivors this way does not trust exit events: a daemon that left the tree is found too.
 */
export function survivors(marker: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    let environ: string;
    try {
      environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
    } catch {
      continue;
    }
    if (!environ.includes(marker)) continue;
    const s = stat(pid);
    if (s !== null && s.state !== 'Z' && s.state !== 'X') found.push(pid);
  }
  return found;
}
