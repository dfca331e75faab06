/**
 * Long lines: one service prints a single line of 10 or 50 MiB (no newline until the end),
 * another prints a timestamped line every 10 ms. Measured through a pipe: how late the other
 * service's lines arrive (in order, they can come no sooner than the long line itself has
 * gone through the pipe: the baseline is that time, the fixture alone), and how long the long line takes
 * from its first byte until it has arrived whole (or, with `ready: log`, until devlaunch reports
 * the service ready): time must grow linearly with the line's length.
 *
 * The delay is judged against the floor measured in the same minutes: a line printed after the
 * long one can arrive no sooner than the long line itself has gone through a pipe, and on this
 * kind of machine that alone takes about 200 ms; what devlaunch adds is the difference.
 */
import { reap } from '../lib/measure.mjs';
import { newMark, node, sleep, start, within } from '../lib/proc.mjs';
import { devlaunchBin, fixture, project } from '../lib/tools.mjs';

const LF = 10;
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;

/** Reads `stream`, calling `onLine` for short lines and `onLong` when a line over 1 MiB ends. */
function readLines(stream, onLine, onLong) {
  let lineLength = 0;
  let head = [];
  stream.on('data', (chunk) => {
    let from = 0;
    for (let at = chunk.indexOf(LF); at !== -1; at = chunk.indexOf(LF, from)) {
      lineLength += at - from;
      if (lineLength > 1 << 20) onLong();
      else {
        head.push(chunk.subarray(from, at));
        onLine(Buffer.concat(head).toString('utf8'));
      }
      head = [];
      lineLength = 0;
      from = at + 1;
    }
    lineLength += chunk.length - from;
    if (lineLength <= 4096) head.push(chunk.subarray(from));
  });
}

/** The long line's own time through a pipe, without devlaunch: the floor for any tool. */
async function direct(sizeMb) {
  const mark = newMark();
  const run = start(node, [fixture('bigline.mjs')], {
    mark,
    env: { BIG_MB: String(sizeMb), LINGER_MS: '0' },
  });
  try {
    let begin = null;
    let done = null;
    readLines(
      run.child.stdout,
      (text) => {
        const m = /^BEGIN (\d+)$/.exec(text);
        if (m) begin = Number(m[1]);
      },
      () => {
        done = Date.now();
      },
    );
    await within(run.exited, 120_000, null);
    await sleep(50);
    return done - begin;
  } finally {
    await reap(mark);
  }
}

async function once(sizeMb, withReady) {
  const big = {
    command: [node, fixture('bigline.mjs')],
    env: { BIG_MB: String(sizeMb), LINGER_MS: '1500' },
    ...(withReady ? { ready: { log: '^READY$', timeout: '60s' } } : {}),
  };
  const cwd = project({
    name: 'bench',
    services: { big, tick: { command: [node, fixture('ticker.mjs')], env: { SECONDS: '4' } } },
  });
  const mark = newMark();
  const run = start(node, [devlaunchBin, 'up'], { mark, cwd });
  try {
    let begin = null;
    let lineDone = null;
    let readyAt = null;
    let maxDelay = 0;
    const onLine = (text) => {
      const plain = text.replace(ANSI, '');
      const tick = /\| tick (\d+)$/.exec(plain);
      if (tick) maxDelay = Math.max(maxDelay, Date.now() - Number(tick[1]));
      const started = /\| BEGIN (\d+)$/.exec(plain);
      if (started) begin = Number(started[1]);
      if (/ready big in/.test(plain)) readyAt = Date.now();
    };
    readLines(run.child.stdout, onLine, () => {
      lineDone = Date.now();
    });
    const exit = await within(run.exited, 120_000, null);
    if (exit === null) throw new Error('long line: devlaunch did not finish');
    if (begin === null || lineDone === null) throw new Error('long line: the line never arrived');
    if (withReady && readyAt === null) throw new Error('long line: never reported ready');
    return { maxDelay, ms: (withReady ? readyAt : lineDone) - begin };
  } finally {
    await reap(mark);
    await sleep(10);
  }
}

export async function longLine({ quick }) {
  const rows = [];
  for (const withReady of [false, true]) {
    const small = await once(10, withReady);
    // The floor is measured right before the run it is compared with: same minute, same load.
    const floor = await direct(50);
    const large = await once(50, withReady);
    const label = withReady ? ', `ready: log`' : '';
    rows.push(
      {
        id: `long-line${withReady ? '-ready' : ''}-delay`,
        metric: `long line 50 MiB${label}: other service's lines delayed (max), beyond the line alone through a pipe`,
        unit: 'ms',
        devlaunch: large.maxDelay,
        baseline: floor,
        peer: null,
        ratio: null,
        goal: '≤ baseline + 200 ms',
        met: large.maxDelay - floor <= 200,
      },
      {
        id: `long-line${withReady ? '-ready' : ''}-growth`,
        metric: `long line${label}: ${withReady ? 'time to ready' : 'time through devlaunch'}, 50 MiB vs 10 MiB`,
        unit: 'ms',
        devlaunch: large.ms,
        baseline: small.ms,
        peer: null,
        ratio: large.ms / small.ms,
        ratioOf: 'baseline',
        goal: '≤ 5.5× (linear)',
        met: large.ms / small.ms <= 5.5,
      },
    );
    if (quick) break;
  }
  return rows;
}
