/**
 * Stalled reader: one service floods 100-byte lines at 30 MB/s for 9 s (honouring
 * back-pressure, so a blocked service falls behind); devlaunch's output goes to a reader that
 * stops reading for 5 s after the first 2 s, then drains everything. Once through a named pipe,
 * once through a pseudo-terminal (`script`). Measured: the service's write rate during the stall
 * against its rate before it, devlaunch's peak RSS, and every line delivered once, in order.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync, readFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { join } from 'node:path';
import { reap } from '../lib/measure.mjs';
import { newMark, node, sleep, start, survivors, within } from '../lib/proc.mjs';
import { devlaunchBin, fixture, project, scratch } from '../lib/tools.mjs';

const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;
const LINE = /^f +\| f (\d+) \.+$/;
const FLOOD_S = 9;
const STALL_AT_MS = 2000;
const STALL_MS = 5000;

/** Lines the service had written by time `t` (ms since the epoch), from its stats file. */
function acceptedAt(records, t) {
  let found = 0;
  for (const r of records) if (r.t <= t) found = r.n;
  return found;
}

function peakRss(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'latin1');
    return Number(/^VmHWM:\s+(\d+)/m.exec(status)?.[1] ?? 0) * 1024;
  } catch {
    return null;
  }
}

/** The devlaunch process among the marked ones (not its watchdog, not `script`). */
function devlaunchPid(mark) {
  for (const pid of survivors(mark)) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0');
      if (cmd[0] === node && cmd[1] === devlaunchBin && cmd[2] === 'up') return pid;
    } catch {}
  }
  return null;
}

async function once(mode) {
  const dir = scratch();
  const statsFile = join(dir, 'stats');
  const cwd = project({
    name: 'bench',
    services: {
      f: {
        command: [node, fixture('flood.mjs'), 'f'],
        env: { RATE_MB: '30', SECONDS: String(FLOOD_S), STATS_FILE: statsFile },
      },
    },
  });
  const mark = newMark();
  let run;
  let out;
  if (mode === 'pipe') {
    // A named pipe, as `devlaunch up | less` has (Node's own 'pipe' is a socket pair).
    const fifo = join(dir, 'out.fifo');
    execFileSync('mkfifo', [fifo]);
    out = new Socket({ fd: openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK) });
    const writer = openSync(fifo, 'w');
    run = start(node, [devlaunchBin, 'up'], { mark, cwd, stdout: writer });
    closeSync(writer);
  } else {
    run = start('script', ['-qfec', `${node} ${devlaunchBin} up`, '/dev/null'], { mark, cwd });
    out = run.child.stdout;
  }
  try {
    let pending = '';
    let next = 0;
    let bad = 0;
    let firstAt = null;
    let pid = null;
    let peak = 0;
    const sampler = setInterval(() => {
      pid ??= devlaunchPid(mark);
      const rss = pid === null ? null : peakRss(pid);
      if (rss !== null && rss > peak) peak = rss;
    }, 100);
    const ended = new Promise((resolve) => out.once('end', resolve));
    out.on('data', (chunk) => {
      const lines = (pending + chunk.toString('latin1')).split('\n');
      pending = lines.pop() ?? '';
      for (const raw of lines) {
        const m = LINE.exec(raw.replace(ANSI, '').replace(/\r$/, ''));
        if (m === null) continue;
        if (Number(m[1]) === next) next += 1;
        else bad += 1;
        if (firstAt === null) {
          firstAt = Date.now();
          // The reader stops reading 2 s in, for 5 s.
          setTimeout(() => {
            out.pause();
            setTimeout(() => out.resume(), STALL_MS);
          }, STALL_AT_MS);
        }
      }
    });
    const exit = await within(run.exited, 60_000, null);
    await within(ended, 10_000, null);
    clearInterval(sampler);
    if (exit === null) throw new Error(`${mode}: devlaunch did not finish`);
    const text = readFileSync(statsFile, 'utf8').trim().split('\n');
    const total = Number(/^END (\d+)$/m.exec(text.join('\n'))?.[1] ?? Number.NaN);
    const records = text
      .filter((l) => !l.startsWith('END'))
      .map((l) => l.split(' ').map(Number))
      .map(([t, n]) => ({ t, n }));
    const rate = (from, to) => (acceptedAt(records, to) - acceptedAt(records, from)) / (to - from);
    const before = rate(firstAt + 300, firstAt + STALL_AT_MS);
    const during = rate(firstAt + STALL_AT_MS, firstAt + STALL_AT_MS + STALL_MS);
    return { before, during, peak, lost: total - next, bad, total };
  } finally {
    await reap(mark);
    await sleep(10);
  }
}

export async function stalled() {
  const rows = [];
  for (const mode of ['pipe', 'pty']) {
    const r = await once(mode);
    const label = mode === 'pipe' ? 'a pipe' : 'a terminal (pty)';
    rows.push(
      {
        id: `stalled-${mode}-rate`,
        metric: `stalled reader, ${label}: service write rate during a 5 s stall`,
        unit: 'lines/s',
        devlaunch: r.during * 1000,
        baseline: r.before * 1000,
        peer: null,
        ratio: r.during / r.before,
        ratioOf: 'baseline',
        goal: '≥ 0.9× its rate before the stall',
        met: r.during >= 0.9 * r.before,
      },
      {
        id: `stalled-${mode}-rss`,
        metric: `stalled reader, ${label}: devlaunch peak RSS`,
        unit: 'MB',
        devlaunch: r.peak / 1e6,
        baseline: null,
        peer: null,
        ratio: null,
        goal: '≤ 150 MB',
        met: r.peak > 0 && r.peak <= 150e6,
      },
      {
        id: `stalled-${mode}-lost`,
        metric: `stalled reader, ${label}: lines lost or out of order (of ${r.total.toLocaleString('en')})`,
        unit: '',
        devlaunch: r.lost + r.bad,
        baseline: 0,
        peer: null,
        ratio: null,
        goal: '0',
        met: r.lost === 0 && r.bad === 0,
      },
    );
  }
  return rows;
}
