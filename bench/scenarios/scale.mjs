/**
 * Scale: 10 and 100 tiny services on ports from the OS, from the command's start to all ready,
 * and from SIGINT to all gone (every process exited, every port bindable). Baseline: the bench
 * starting the same programs itself and signalling them itself. Growth 10 → 100 is reported
 * as t(100) ÷ t(10): 10× is linear.
 */
import { reap, timeTeardown } from '../lib/measure.mjs';
import { allBindable, freePorts } from '../lib/ports.mjs';
import { listeningPort, newMark, sleep, start, waitForLines, within } from '../lib/proc.mjs';
import { interleave, median } from '../lib/stats.mjs';
import {
  concurrently,
  devlaunch,
  fixture,
  project,
  servicesManifest,
  waitOn,
} from '../lib/tools.mjs';

const CAP_MS = 10_000;

async function direct(count) {
  const mark = newMark();
  try {
    const begun = performance.now();
    const runs = Array.from({ length: count }, () =>
      start('perl', [fixture('tiny.pl')], { mark, env: { PORT: '0' } }),
    );
    const ports = await Promise.all(runs.map((r) => listeningPort(r.child.stdout, 60_000)));
    const up = performance.now() - begun;
    const stopped = performance.now();
    for (const r of runs) r.child.kill('SIGTERM');
    await Promise.all(runs.map((r) => r.exited));
    while (!(await allBindable(ports))) await sleep(1);
    return { up, down: performance.now() - stopped, survivors: 0 };
  } finally {
    await reap(mark);
  }
}

async function viaDevlaunch(cwd, count) {
  const mark = newMark();
  try {
    const begun = performance.now();
    const run = devlaunch(['up', '--no-color'], { mark, cwd });
    let out = '';
    run.child.stdout.on('data', (c) => {
      out += c;
    });
    const at = await waitForLines(run.child.stdout, /all services ready/, 1, 60_000);
    await sleep(50); // the table follows the ready line
    const ports = [...out.matchAll(/http:\/\/localhost:(\d+)/g)].map((m) => Number(m[1]));
    if (ports.length < count) throw new Error(`devlaunch listed ${ports.length} of ${count} ports`);
    const down = await timeTeardown({ ...run, mark, ports, capMs: CAP_MS });
    return { up: at - begun, down: down.ms, survivors: down.survivors };
  } finally {
    await reap(mark);
  }
}

async function viaPeer(count) {
  const mark = newMark();
  try {
    const ports = await freePorts(count);
    const begun = performance.now();
    const run = concurrently(
      ports.map((p) => `PORT=${p} perl ${fixture('tiny.pl')}`),
      { mark },
    );
    run.child.stdout.resume();
    const waiter = waitOn(ports, 20, { mark, stdout: 'ignore' });
    const exit = await within(waiter.exited, 60_000, null);
    if (exit?.code !== 0) throw new Error('wait-on did not succeed');
    const down = await timeTeardown({ ...run, mark, ports, capMs: CAP_MS });
    return { up: exit.at - begun, down: down.ms, survivors: down.survivors };
  } finally {
    await reap(mark);
  }
}

export async function scale({ quick }) {
  const results = {};
  for (const count of [10, 100]) {
    const cwd = project(servicesManifest(count, ['perl', fixture('tiny.pl')]));
    const [base, dl, peer] = await interleave(quick ? 1 : 3, [
      () => direct(count),
      () => viaDevlaunch(cwd, count),
      () => viaPeer(count),
    ]);
    const pick = (list, key) => median(list.map((r) => r[key]));
    results[count] = {
      base: { up: pick(base, 'up'), down: pick(base, 'down') },
      dl: {
        up: pick(dl, 'up'),
        down: pick(dl, 'down'),
        survivors: Math.max(...dl.map((r) => r.survivors)),
      },
      peer: {
        up: pick(peer, 'up'),
        down: pick(peer, 'down'),
        survivors: Math.max(...peer.map((r) => r.survivors)),
      },
    };
  }
  const r10 = results[10];
  const r100 = results[100];
  const grow = (a, b) => (a === null || b === null ? null : b / a);
  return [
    {
      id: 'scale-up-100',
      metric: 'scale: 100 services up to all ready',
      unit: 'ms',
      devlaunch: r100.dl.up,
      baseline: r100.base.up,
      peer: r100.peer.up,
      ratio: r100.dl.up / r100.peer.up,
      ratioOf: 'peer',
      goal: '≤ 3 s',
      met: r100.dl.up <= 3000,
    },
    {
      id: 'scale-down-100',
      metric: 'scale: 100 services down to all gone',
      unit: 'ms',
      devlaunch: r100.dl.down,
      baseline: r100.base.down,
      peer: r100.peer.down ?? `never (> ${CAP_MS / 1000} s)`,
      ratio: r100.peer.down === null ? null : r100.dl.down / r100.peer.down,
      ratioOf: 'peer',
      goal: '≤ 1 s, 0 survivors',
      met: r100.dl.down !== null && r100.dl.down <= 1000 && r100.dl.survivors === 0,
    },
    {
      id: 'scale-up-growth',
      metric: 'scale: up, growth 10 → 100 (10× = linear)',
      unit: '×',
      devlaunch: grow(r10.dl.up, r100.dl.up)?.toFixed(1) ?? null,
      baseline: grow(r10.base.up, r100.base.up)?.toFixed(1) ?? null,
      peer: grow(r10.peer.up, r100.peer.up)?.toFixed(1) ?? null,
      ratio: null,
      goal: '≤ 10× (linear or better)',
      met: grow(r10.dl.up, r100.dl.up) <= 10,
    },
    {
      id: 'scale-down-growth',
      metric: 'scale: down, growth 10 → 100 (10× = linear)',
      unit: '×',
      devlaunch: grow(r10.dl.down, r100.dl.down)?.toFixed(1) ?? null,
      baseline: grow(r10.base.down, r100.base.down)?.toFixed(1) ?? null,
      peer: grow(r10.peer.down, r100.peer.down)?.toFixed(1) ?? null,
      ratio: null,
      goal: '≤ 10× (linear or better)',
      met: r10.dl.down !== null && r100.dl.down !== null && grow(r10.dl.down, r100.dl.down) <= 10,
    },
    {
      id: 'scale-detail',
      metric: 'scale: 10 services up / down',
      unit: '',
      devlaunch: `${Math.round(r10.dl.up)} / ${Math.round(r10.dl.down ?? Number.NaN)} ms`,
      baseline: `${Math.round(r10.base.up)} / ${Math.round(r10.base.down)} ms`,
      peer: `${Math.round(r10.peer.up)} / ${r10.peer.down === null ? 'never' : Math.round(r10.peer.down)} ms`,
      ratio: null,
      goal: null,
      met: null,
    },
  ];
}
