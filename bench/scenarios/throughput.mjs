/**
 * Log throughput: two services each printing N lines as fast as they can. devlaunch with
 * prefixes, colours (FORCE_COLOR=1) and log files on; the same two programs writing to
 * /dev/null directly; concurrently with coloured prefixes. Tool output goes to a pipe that
 * `cat` drains into a file, which is then checked line by line: every line present once, in
 * order per service, whole and behind the right prefix. Lines per second count only the lines
 * that arrived whole: a tool that drops or splits lines is not faster for it.
 *
 * Informational: devlaunch's own CPU time (user + system of the devlaunch process alone, read
 * from /proc while it runs, its services and watchdog not included) per line, beyond the same
 * run with services printing nothing. On a machine where every process of the run shares two
 * cores, the wall-clock figures follow the total CPU of the run; this one says what devlaunch's
 * output path itself costs.
 */
import { spawn } from 'node:child_process';
import { closeSync, createReadStream, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { reap } from '../lib/measure.mjs';
import { followCpu, newMark, node, start, within } from '../lib/proc.mjs';
import { interleave, median } from '../lib/stats.mjs';
import { concurrently, devlaunch, fixture, project, scratch } from '../lib/tools.mjs';

const NAMES = ['a', 'b'];
const ANSI = /\u001b\[[0-9;]*m/g;
const CONTENT = /^([ab]) (\d+) GET \/api\/items\?page=1 200 OK 0\.42ms\.{9}$/;

/** Counts the fixture lines in `file`; lines of the tool's own are skipped, anything else is bad. */
async function check(file, prefix, own, count) {
  const next = { a: 0, b: 0 };
  let bad = 0;
  let valid = 0;
  const lines = createInterface({
    input: createReadStream(file),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  for await (const raw of lines) {
    const line = raw.replace(ANSI, '');
    const head = prefix.exec(line);
    const body = head ? line.slice(head[0].length) : null;
    const match = body === null ? null : CONTENT.exec(body);
    if (match === null || match[1] !== head[1]) {
      if (!own.test(line)) bad += 1;
      continue;
    }
    // A gap is counted once as lost lines, not as every line after it being out of order.
    const seq = Number(match[2]);
    if (seq >= next[match[1]]) {
      valid += 1;
      next[match[1]] = seq + 1;
    } else bad += 1;
  }
  return { lost: 2 * count - valid, bad, valid };
}

/**
 * Runs `launch(stdout)` with its stdout a pipe that `cat` drains into `file`, as a terminal or a
 * CI log collector would; the run ends when `cat` has written the last byte.
 */
function throughPipe(file, launch) {
  const fd = openSync(file, 'w');
  const sink = spawn('cat', [], { stdio: ['pipe', fd, 'ignore'] });
  const catExited = new Promise((resolve) => sink.once('exit', () => resolve(performance.now())));
  const run = launch(sink.stdin);
  // Only the tool may hold the pipe's write end now, so cat sees end-of-file when it exits.
  sink.stdin.destroy();
  closeSync(fd);
  return { exited: run.exited.then(async () => ({ at: await catExited })) };
}

async function timedRun(launch, mark) {
  try {
    const begun = performance.now();
    const run = launch();
    const exit = await within(run.exited, 300_000, null);
    if (exit === null) throw new Error('throughput run did not finish');
    return exit.at - begun;
  } finally {
    await reap(mark);
  }
}

export const throughput = (opts) => measure(opts, false);

/**
 * The same with coloured lines (lines.mjs `color`), as dev servers print when asked for colour,
 * which devlaunch does: its terminal keeps the colours, its log files get the text without them.
 * Informational: the goals are the plain scenario's.
 */
export const throughputColour = (opts) => measure(opts, true);

async function measure({ quick }, coloured) {
  const count = quick ? 100_000 : 1_000_000;
  const style = coloured ? ['color'] : [];
  const tag = coloured ? ', coloured lines' : '';
  const id = (name) => (coloured ? `${name}-colour` : name);
  const goal = (text) => (coloured ? null : text);
  const cwd = project({
    name: 'bench',
    services: Object.fromEntries(
      NAMES.map((n) => [n, { command: [node, fixture('lines.mjs'), n, String(count), ...style] }]),
    ),
  });
  // The same services printing nothing: devlaunch's start-up and teardown alone.
  const idleCwd = project({
    name: 'bench',
    services: Object.fromEntries(
      NAMES.map((n) => [n, { command: [node, fixture('lines.mjs'), n, '0'] }]),
    ),
  });
  const dir = scratch();
  const checks = { devlaunch: [], peer: [] };
  const color = { FORCE_COLOR: '1' };

  /** The two fixtures, `lines` each, straight to /dev/null: the run's time. */
  const direct = async (lines) => {
    const mark = newMark();
    const devNull = openSync('/dev/null', 'w');
    try {
      return await timedRun(() => {
        const runs = NAMES.map((n) =>
          start(node, [fixture('lines.mjs'), n, String(lines), ...style], {
            mark,
            stdout: devNull,
          }),
        );
        return { exited: Promise.all(runs.map((r) => r.exited)).then((all) => all.at(-1)) };
      }, mark);
    } finally {
      closeSync(devNull);
    }
  };
  const cpu = { devlaunch: [], idle: [] };
  /** `devlaunch up` in `where`, its output into `file`: the run's time, its own CPU kept in `cpus`. */
  const upThroughPipe = async (where, file, cpus) => {
    const mark = newMark();
    const used = { ms: null };
    const ms = await timedRun(
      () =>
        throughPipe(file, (stdout) =>
          followCpu(devlaunch(['up'], { mark, cwd: where, env: color, stdout }), used),
        ),
      mark,
    );
    cpus.push(used.ms);
    return ms;
  };
  const viaDevlaunch = async (round) => {
    const file = join(dir, `devlaunch-${round}.out`);
    const ms = await upThroughPipe(cwd, file, cpu.devlaunch);
    const result = await check(file, /^([ab]) \| /, /^devlaunch » |^SERVICE |^[ab] +-? /, count);
    for (const n of NAMES) {
      const log = readFileSync(join(cwd, '.devlaunch', 'logs', `${n}.log`));
      let lines = 0;
      for (let at = log.indexOf(10); at !== -1; at = log.indexOf(10, at + 1)) lines += 1;
      result.lost += Math.max(0, count - lines);
    }
    checks.devlaunch.push(result);
    return (result.valid / ms) * 1000;
  };
  const idleDevlaunch = (round) => upThroughPipe(idleCwd, join(dir, `idle-${round}.out`), cpu.idle);
  /** concurrently running the two fixtures, `lines` each, into `file`: the run's time. */
  const peerRun = (file, lines) => {
    const mark = newMark();
    const commands = NAMES.map((n) => [node, fixture('lines.mjs'), n, lines, ...style].join(' '));
    const flags = ['-c', 'cyan,magenta'];
    return timedRun(
      () =>
        throughPipe(file, (stdout) =>
          concurrently(commands, { mark, env: color, stdout }, flags, NAMES),
        ),
      mark,
    );
  };
  const viaPeer = async (round) => {
    const file = join(dir, `concurrently-${round}.out`);
    const ms = await peerRun(file, count);
    const result = await check(file, /^\[([ab])\] /, /exited with code/, count);
    checks.peer.push(result);
    // Only the lines that arrived count: a tool that drops lines is not faster for it.
    return (result.valid / ms) * 1000;
  };

  // The same runs with services printing nothing: each tool's start-up and teardown alone.
  const idlePeer = (round) => peerRun(join(dir, `concurrently-idle-${round}.out`), 0);
  const [base, dl, peer, idle, peerIdle, baseIdle] = await interleave(quick ? 1 : 3, [
    () => direct(count),
    viaDevlaunch,
    viaPeer,
    idleDevlaunch,
    idlePeer,
    () => direct(0),
  ]);
  const d = median(dl);
  // Lines per second of the output path itself: the run's time less start-up and teardown.
  const fixed = median(idle);
  const msOf = (rate) => ((2 * count) / rate) * 1000;
  const beyond = (2 * count) / ((msOf(d) - fixed) / 1000);
  const p = median(peer);
  const peerBeyond = (2 * count) / ((msOf(p) - median(peerIdle)) / 1000);
  const b = (2 * count) / (median(base) / 1000);
  const baseBeyond = (2 * count) / ((median(base) - median(baseIdle)) / 1000);
  const sum = (list, key) => list.reduce((s, r) => s + r[key], 0);
  // Lines that did not arrive whole, over every run (pieces of split lines are not counted twice).
  const dlLost = sum(checks.devlaunch, 'lost');
  const peerLost = sum(checks.peer, 'lost');
  const cpuRun = cpu.devlaunch.includes(null) ? null : median(cpu.devlaunch);
  const cpuIdle = cpu.idle.includes(null) ? null : median(cpu.idle);
  const nsPerLine =
    cpuRun === null || cpuIdle === null ? null : ((cpuRun - cpuIdle) * 1e6) / (2 * count);
  const rows = [
    {
      id: id('throughput'),
      metric: `log throughput: 2 × ${count.toLocaleString('en')} lines${tag}`,
      unit: 'lines/s',
      devlaunch: d,
      baseline: b,
      peer: p,
      ratio: d / p,
      ratioOf: 'peer',
      goal: goal('≥ 3 M lines/s and ≥ 2× peer'),
      met: coloured ? null : d >= 3e6 && d >= 2 * p,
    },
    {
      // The absolute goal cannot be shown where the fixtures alone do not reach it.
      id: id('throughput-fixtures-reach-goal'),
      metric: `log throughput${tag}: can this machine show 3 M lines/s? (the fixtures' own rate to /dev/null)`,
      unit: 'lines/s',
      devlaunch: null,
      baseline: b,
      peer: null,
      ratio: null,
      goal: b >= 3e6 ? 'yes' : 'no: the 3 M goal is above what the fixtures alone reach here',
      met: null,
    },
    {
      id: id('throughput-vs-fixtures'),
      metric: `log throughput${tag}: share of the fixtures' own rate to /dev/null`,
      unit: 'lines/s',
      devlaunch: d,
      baseline: b,
      peer: p,
      ratio: d / b,
      ratioOf: 'baseline',
      goal: goal('≥ 0.3× baseline'),
      met: coloured ? null : d >= 0.3 * b,
    },
    {
      id: id('throughput-beyond-startup'),
      metric: `log throughput${tag} beyond start-up (time less a run of the same services printing nothing: ${Math.round(fixed)} ms)`,
      unit: 'lines/s',
      devlaunch: beyond,
      baseline: b,
      peer: null,
      ratio: beyond / b,
      ratioOf: 'baseline',
      goal: null,
      met: null,
    },
    {
      // Each tool's rate once its own start-up and teardown are taken out: what the output path
      // moves while lines flow, the part of the run that grows with the output.
      id: id('throughput-beyond-startup-vs-peer'),
      metric: `log throughput${tag} beyond start-up, each tool less its own run printing nothing (devlaunch ${Math.round(fixed)} ms, concurrently ${Math.round(median(peerIdle))} ms, fixtures ${Math.round(median(baseIdle))} ms)`,
      unit: 'lines/s',
      devlaunch: beyond,
      baseline: baseBeyond,
      peer: peerBeyond,
      ratio: beyond / peerBeyond,
      ratioOf: 'peer',
      goal: null,
      met: null,
    },
    {
      id: id('throughput-cpu-per-line'),
      metric: `log throughput${tag}: devlaunch's own CPU per line (user + system of the devlaunch process: ${cpuRun ?? '?'} ms, less ${cpuIdle ?? '?'} ms printing nothing)`,
      unit: 'ns/line',
      devlaunch: nsPerLine === null ? null : Math.round(nsPerLine),
      baseline: null,
      peer: null,
      ratio: null,
      goal: null,
      met: null,
    },
    {
      id: id('throughput-lost'),
      metric: `log throughput${tag}: lines lost or split`,
      unit: '',
      devlaunch: dlLost,
      baseline: 0,
      peer: peerLost,
      ratio: null,
      goal: '0',
      met: dlLost === 0,
    },
  ];
  // Whether the machine can show the absolute goal is said once, by the plain scenario.
  return coloured ? rows.filter((r) => r.id !== id('throughput-fixtures-reach-goal')) : rows;
}
