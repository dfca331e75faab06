/**
 * Processes for the benchmarks: spawning with a unique marker in the environment, waiting for
 * a line or an exit, and finding and killing everything that still carries the marker. Every
 * process a scenario starts inherits the marker, so `survivors()` finds grandchildren and
 * daemons too, whoever started them.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';

export const MARK = 'DEVLAUNCH_BENCH';
export const node = process.execPath;

/** A fresh marker value: one per tool run, so survivors are counted per run. */
export function newMark() {
  return randomBytes(6).toString('hex');
}

/** Pids of live processes whose environment carries MARK=mark (zombies excluded). */
export function survivors(mark) {
  const needle = `\0${MARK}=${mark}\0`;
  const found = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    let env;
    try {
      env = `\0${readFileSync(`/proc/${entry}/environ`, 'latin1')}`;
      const stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
      const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      if (state === 'Z' || state === 'X') continue;
    } catch {
      continue; // gone meanwhile
    }
    if (env.includes(needle)) found.push(Number(entry));
  }
  return found;
}

/** SIGKILL every process carrying the marker; returns how many there were. */
export function killMarked(mark) {
  const pids = survivors(mark);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {}
  }
  return pids.length;
}

/**
 * Spawns `cmd args` with MARK=mark added to `env`. `stdout` may be 'pipe', 'ignore' or an fd.
 * Returns the child plus `exited`, a promise of { code, signal, at } (at: performance.now()).
 */
export function start(cmd, args, { mark, env = {}, cwd, stdout = 'pipe', stderr = 'pipe' }) {
  const child = spawn(cmd, args, {
    cwd,
    env: { ...process.env, ...env, [MARK]: mark },
    stdio: ['ignore', stdout, stderr],
  });
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal, at: performance.now() }));
    child.once('error', () => resolve({ code: null, signal: null, at: performance.now() }));
  });
  // A pipe nobody reads fills up and blocks the child: drain what the scenario does not read.
  if (child.stderr) child.stderr.resume();
  return { child, exited };
}

/**
 * Resolves with performance.now() when `stream` has printed a line matching `pattern`
 * `count` times, or rejects after `timeoutMs`. The stream keeps being drained afterwards.
 */
export function waitForLines(stream, pattern, count, timeoutMs) {
  return new Promise((resolve, reject) => {
    let seen = 0;
    let pending = '';
    const timer = setTimeout(() => {
      stream.off('data', onData);
      reject(new Error(`timed out waiting for ${pattern} (${seen}/${count})`));
    }, timeoutMs);
    const onData = (chunk) => {
      const text = pending + chunk.toString('utf8');
      const lines = text.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (pattern.test(line)) seen += 1;
      if (seen >= count) {
        const at = performance.now();
        clearTimeout(timer);
        stream.off('data', onData);
        stream.resume();
        resolve(at);
      }
    };
    stream.on('data', onData);
  });
}

/** Resolves with `fallback` if `promise` has not settled within `ms`. */
export function within(promise, ms, fallback) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((resolve) => {
      timer = setTimeout(() => resolve(fallback), ms);
    }),
  ]);
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resident memory (bytes) and CPU time (ms, user + system) of one process, or null if gone. */
export function usage(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'latin1');
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const rssKb = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0);
    // utime and stime are fields 14 and 15 of stat, in clock ticks (USER_HZ = 100 on Linux).
    const ticks = Number(fields[11]) + Number(fields[12]);
    return { rss: rssKb * 1024, cpuMs: ticks * 10 };
  } catch {
    return null;
  }
}

/** CPU time (ms, user + system, clock-tick resolution) of one process, or null if gone. */
export function cpuMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

/** The port of a fixture's first `LISTENING <port>` line. */
export function listeningPort(stream, timeoutMs) {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error('no LISTENING line')), timeoutMs);
    const onData = (chunk) => {
      text += chunk;
      const match = /^LISTENING (\d+)$/m.exec(text);
      if (match) {
        clearTimeout(timer);
        stream.off('data', onData);
        stream.resume();
        resolve(Number(match[1]));
      }
    };
    stream.on('data', onData);
  });
}

/**
 * Memory of one process, in bytes, or null if gone: `rss` (resident, the node binary's shared
 * pages included), `anon` (RssAnon: resident anonymous memory, i.e. what this process alone
 * costs: heaps, stacks, malloc) and `pss` (proportional set size: shared pages divided among
 * the processes sharing them).
 */
export function memory(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'latin1');
    const kb = (name, text) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? 0);
    let pss = null;
    try {
      pss = kb('Pss', readFileSync(`/proc/${pid}/smaps_rollup`, 'latin1')) * 1024;
    } catch {}
    return { rss: kb('VmRSS', status) * 1024, anon: kb('RssAnon', status) * 1024, pss };
  } catch {
    return null;
  }
}

/** Pids of the live children of `pid` whose environment holds `name=value`. */
export function childrenWithEnv(pid, name, value) {
  const found = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== pid) continue;
      const env = `\0${readFileSync(`/proc/${entry}/environ`, 'latin1')}`;
      if (env.includes(`\0${name}=${value}\0`)) found.push(Number(entry));
    } catch {}
  }
  return found;
}

/**
 * Follows the CPU time (ms) of the process `run.child` while it runs; `cpu.ms` ends as the last
 * reading (at most one interval before its exit: teardown's last milliseconds are not counted).
 */
export function followCpu(run, cpu) {
  const pid = run.child.pid;
  const read = () => {
    const ms = pid === undefined ? null : cpuMs(pid);
    if (ms !== null) cpu.ms = ms;
  };
  const timer = setInterval(read, 10);
  run.exited.then(() => clearInterval(timer));
  return run;
}
