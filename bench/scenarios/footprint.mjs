/**
 * Footprint: what the launcher costs in memory and CPU while idle (everything ready, nothing
 * printing), with 10, 50 and 100 tiny services, sampled 20 s after all-ready as issue 14 asks
 * (5 s with --quick; V8 shrinks its heap a while after start-up; users leave `up` running for
 * hours); idle CPU over the 5 s after that.
 *
 * Memory is counted for every process the launcher keeps: devlaunch and its watchdog;
 * concurrently alone (it has no watchdog). The goal is on private memory (RssAnon: resident
 * anonymous memory, what the launcher alone costs); RSS, which also counts the node binary's
 * pages shared with every other Node process, is reported beside it. Baseline: an idle Node
 * process. devlaunch, the peer and the baseline idle side by side, so the wait is paid once.
 */
import { reap } from '../lib/measure.mjs';
import { freePorts } from '../lib/ports.mjs';
import {
  childrenWithEnv,
  memory,
  newMark,
  node,
  sleep,
  start,
  usage,
  waitForLines,
  within,
} from '../lib/proc.mjs';
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
const COUNTS = [10, 50, 100];
/** The goals: private memory at 50 services, and its growth per service (10 → 50 → 100). */
export const FOOTPRINT_GOALS = { privateMBAt50: 25, growthMBPerService: 0.1 };
const CPU_WINDOW_MS = 5000;

/**
 * Memory (summed over `pids`) `settleMs` after ready, then CPU % of the first pid over the
 * CPU_WINDOW_MS that follow: idle CPU is what a session costs once it has settled, not the
 * one-time work of settling (devlaunch's compacting collection 1 s after ready, V8's memory
 * reducer some 16 s after it), which may otherwise fall inside the window or not.
 */
async function sample(pids, settleMs) {
  await sleep(settleMs);
  const mems = pids.map(memory);
  const first = usage(pids[0]);
  await sleep(CPU_WINDOW_MS);
  const last = usage(pids[0]);
  if (first === null || last === null || mems.includes(null)) {
    throw new Error(`process ${pids.join(' or ')} is gone`);
  }
  const sum = (key) => mems.reduce((total, m) => total + (m[key] ?? 0), 0) / MB;
  return {
    rssMB: sum('rss'),
    privateMB: sum('anon'),
    pssMB: sum('pss'),
    cpuPercent: ((last.cpuMs - first.cpuMs) / CPU_WINDOW_MS) * 100,
    processes: pids.length,
  };
}

async function startDevlaunch(count, mark) {
  const cwd = project(servicesManifest(count, ['perl', fixture('tiny.pl')]));
  const run = devlaunch(['up', '--no-color'], { mark, cwd });
  await waitForLines(run.child.stdout, /all services ready/, 1, 180_000);
  const watchdogs = childrenWithEnv(run.child.pid, 'DEVLAUNCH_ROLE', 'watchdog');
  return { run, pids: [run.child.pid, ...watchdogs] };
}

async function startPeer(count, mark) {
  const ports = await freePorts(count);
  const run = concurrently(
    ports.map((p) => `PORT=${p} perl ${fixture('tiny.pl')}`),
    { mark },
  );
  run.child.stdout.resume();
  const waiter = waitOn(ports, 20, { mark, stdout: 'ignore' });
  await within(waiter.exited, 180_000, null);
  return { run, pids: [run.child.pid] };
}

/** One round at `count` services: devlaunch, the peer and an idle Node, sampled together. */
async function round(count, settleMs) {
  const marks = { dl: newMark(), peer: newMark(), base: newMark() };
  try {
    const dl = await startDevlaunch(count, marks.dl);
    const peer = await startPeer(count, marks.peer);
    const base = start(node, [fixture('idle.mjs')], { mark: marks.base });
    const [d, p, b] = await Promise.all([
      sample(dl.pids, settleMs),
      sample(peer.pids, settleMs),
      sample([base.child.pid], settleMs),
    ]);
    for (const r of [dl.run, peer.run]) r.child.kill('SIGINT');
    await Promise.all([dl.run, peer.run].map((r) => within(r.exited, 10_000, null)));
    return { dl: d, peer: p, base: b };
  } finally {
    for (const mark of Object.values(marks)) await reap(mark);
  }
}

export async function footprint({ quick }) {
  const settleMs = quick ? 5000 : 20_000;
  const byCount = {};
  for (const count of COUNTS) {
    const rounds = [];
    for (let i = 0; i < (quick ? 1 : 2); i++) rounds.push(await round(count, settleMs));
    const pick = (who, key) => median(rounds.map((r) => r[who][key]));
    byCount[count] = {
      dl: {
        rss: pick('dl', 'rssMB'),
        priv: pick('dl', 'privateMB'),
        cpu: pick('dl', 'cpuPercent'),
      },
      peer: { rss: pick('peer', 'rssMB'), priv: pick('peer', 'privateMB') },
      base: { rss: pick('base', 'rssMB'), priv: pick('base', 'privateMB') },
      processes: rounds[0].dl.processes,
    };
  }
  const at = (n) => byCount[n];
  const slope = (a, b) => (at(b).dl.priv - at(a).dl.priv) / (b - a);
  const growth = Math.max(slope(10, 50), slope(50, 100));
  const label = `${settleMs / 1000} s after ready`;
  const rows = [];
  for (const count of COUNTS) {
    const c = at(count);
    rows.push({
      id: `private-${count}`,
      metric: `private memory (RssAnon), devlaunch + watchdog: ${count} services, ${label}`,
      unit: 'MB',
      devlaunch: c.dl.priv,
      baseline: c.base.priv,
      peer: c.peer.priv,
      ratio: c.dl.priv / c.peer.priv,
      ratioOf: 'peer',
      goal: count === 50 ? `≤ ${FOOTPRINT_GOALS.privateMBAt50} MB` : null,
      met: count === 50 ? c.dl.priv <= FOOTPRINT_GOALS.privateMBAt50 && c.processes === 2 : null,
    });
  }
  rows.push({
    id: 'private-growth',
    metric: 'private memory: growth per service (steepest of 10 → 50 → 100)',
    unit: 'MB',
    devlaunch: growth,
    baseline: null,
    peer: Math.max(
      (at(50).peer.priv - at(10).peer.priv) / 40,
      (at(100).peer.priv - at(50).peer.priv) / 50,
    ),
    ratio: null,
    goal: `≤ ${FOOTPRINT_GOALS.growthMBPerService} MB`,
    met: growth <= FOOTPRINT_GOALS.growthMBPerService,
  });
  for (const count of COUNTS) {
    const c = at(count);
    rows.push({
      id: `rss-${count}`,
      metric: `RSS, devlaunch + watchdog: ${count} services`,
      unit: 'MB',
      devlaunch: c.dl.rss,
      baseline: c.base.rss,
      peer: c.peer.rss,
      ratio: c.dl.rss / c.peer.rss,
      ratioOf: 'peer',
      goal: null,
      met: null,
    });
  }
  const cpu = Math.max(...COUNTS.map((n) => at(n).dl.cpu));
  rows.push({
    id: 'idle-cpu',
    metric: `idle CPU of devlaunch, ${COUNTS.join(' / ')} services, the ${CPU_WINDOW_MS / 1000} s after the memory sample (highest)`,
    unit: '%',
    devlaunch: cpu,
    baseline: null,
    peer: null,
    ratio: null,
    goal: '~0 % (< 0.5 %)',
    met: cpu < 0.5,
  });
  return rows;
}
