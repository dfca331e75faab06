/**
 * Footprint: the launcher's own resident memory and CPU while idle (everything ready, nothing
 * printing) with 1, 10 and 50 tiny services. devlaunch's main process; concurrently's process;
 * baseline: an idle Node process. CPU is sampled from /proc over a few seconds.
 */
import { reap } from '../lib/measure.mjs';
import { freePorts } from '../lib/ports.mjs';
import { newMark, node, sleep, start, usage, waitForLines, within } from '../lib/proc.mjs';
import { median } from '../lib/stats.mjs';
import {
  concurrently,
  devlaunch,
  fixture,
  project,
  servicesManifest,
  waitOn,
} from '../lib/tools.mjs';

const MB = 2 ** 20;

async function sample(pid, ms) {
  await sleep(500); // let start-up garbage settle
  const first = usage(pid);
  await sleep(ms);
  const last = usage(pid);
  if (first === null || last === null) throw new Error(`process ${pid} is gone`);
  return { rssMB: last.rss / MB, cpuPercent: ((last.cpuMs - first.cpuMs) / ms) * 100 };
}

async function viaDevlaunch(count, ms) {
  const mark = newMark();
  try {
    const cwd = project(servicesManifest(count, ['perl', fixture('tiny.pl')]));
    const run = devlaunch(['up', '--no-color'], { mark, cwd });
    await waitForLines(run.child.stdout, /all services ready/, 1, 60_000);
    const result = await sample(run.child.pid, ms);
    run.child.kill('SIGINT');
    await within(run.exited, 10_000, null);
    return result;
  } finally {
    await reap(mark);
  }
}

async function viaPeer(count, ms) {
  const mark = newMark();
  try {
    const ports = await freePorts(count);
    const run = concurrently(
      ports.map((p) => `PORT=${p} perl ${fixture('tiny.pl')}`),
      { mark },
    );
    run.child.stdout.resume();
    const waiter = waitOn(ports, 20, { mark, stdout: 'ignore' });
    await within(waiter.exited, 60_000, null);
    const result = await sample(run.child.pid, ms);
    run.child.kill('SIGINT');
    await within(run.exited, 10_000, null);
    return result;
  } finally {
    await reap(mark);
  }
}

async function idleNode(ms) {
  const mark = newMark();
  try {
    const run = start(node, [fixture('idle.mjs')], { mark });
    return await sample(run.child.pid, ms);
  } finally {
    await reap(mark);
  }
}

export async function footprint({ quick }) {
  const ms = quick ? 1000 : 3000;
  const base = await idleNode(ms);
  const rows = [];
  for (const count of [1, 10, 50]) {
    const dl = [];
    const peer = [];
    for (let i = 0; i < (quick ? 1 : 2); i++) {
      dl.push(await viaDevlaunch(count, ms));
      peer.push(await viaPeer(count, ms));
    }
    const rss = median(dl.map((r) => r.rssMB));
    const peerRss = median(peer.map((r) => r.rssMB));
    rows.push({
      id: `rss-${count}`,
      metric: `idle memory (RSS): ${count} service${count === 1 ? '' : 's'}`,
      unit: 'MB',
      devlaunch: rss,
      baseline: base.rssMB,
      peer: peerRss,
      ratio: rss / peerRss,
      ratioOf: 'peer',
      goal: count === 50 ? '≤ 60 MB' : null,
      met: count === 50 ? rss <= 60 : null,
    });
    const cpu = median(dl.map((r) => r.cpuPercent));
    rows.push({
      id: `cpu-${count}`,
      metric: `idle CPU: ${count} service${count === 1 ? '' : 's'}`,
      unit: '%',
      devlaunch: cpu,
      baseline: base.cpuPercent,
      peer: median(peer.map((r) => r.cpuPercent)),
      ratio: null,
      goal: '~0 % (< 0.5 %)',
      met: cpu < 0.5,
    });
  }
  return rows;
}
