/**
 * Time to ready: three services that listen after a fixed delay. From the command's start to
 * "all ready" (devlaunch: its "all services ready" line; concurrently: wait-on's exit, wait-on
 * started at the same moment), minus the services' own time to listen (the same three
 * programs started directly, until each printed LISTENING). Any launcher written for Node pays
 * one Node start on top of the services': the goal is on what devlaunch adds beyond that, with
 * `node -e 0` measured in the same rounds.
 */
import { spawnSync } from 'node:child_process';
import { reap } from '../lib/measure.mjs';
import { freePorts } from '../lib/ports.mjs';
import { newMark, node, start, waitForLines, within } from '../lib/proc.mjs';
import { interleave, median } from '../lib/stats.mjs';
import {
  concurrently,
  devlaunch,
  fixture,
  project,
  servicesManifest,
  waitOn,
} from '../lib/tools.mjs';

const SERVICES = 3;
const DELAY_MS = 300;
/** wait-on polls every 250 ms by default; 20 ms is the peer at its best, as tuned by hand. */
export const WAIT_ON_INTERVAL_MS = 20;
const TIMEOUT_MS = 20_000;
/** The goal: overhead − one `node -e 0` ≤ this, and the overhead below the peer's. */
export const READY_GOAL_MS = 50;

function nodeStart() {
  const begun = performance.now();
  spawnSync(node, ['-e', '0'], { stdio: 'ignore' });
  return performance.now() - begun;
}

async function direct() {
  const mark = newMark();
  try {
    const begun = performance.now();
    const runs = Array.from({ length: SERVICES }, () =>
      start(node, [fixture('server.mjs')], {
        mark,
        env: { DELAY_MS: String(DELAY_MS), PORT: '0' },
      }),
    );
    const times = await Promise.all(
      runs.map((r) => waitForLines(r.child.stdout, /^LISTENING/, 1, TIMEOUT_MS)),
    );
    return Math.max(...times) - begun;
  } finally {
    await reap(mark);
  }
}

async function viaDevlaunch(cwd) {
  const mark = newMark();
  try {
    const begun = performance.now();
    const run = devlaunch(['up', '--no-color'], { mark, cwd, env: { DELAY_MS: String(DELAY_MS) } });
    const at = await waitForLines(run.child.stdout, /all services ready/, 1, TIMEOUT_MS);
    run.child.kill('SIGINT');
    await within(run.exited, 5000, null);
    return at - begun;
  } finally {
    await reap(mark);
  }
}

async function viaPeer() {
  const mark = newMark();
  try {
    const ports = await freePorts(SERVICES);
    const commands = ports.map(
      (p) => `PORT=${p} DELAY_MS=${DELAY_MS} ${node} ${fixture('server.mjs')}`,
    );
    const begun = performance.now();
    const run = concurrently(commands, { mark });
    run.child.stdout.resume();
    const waiter = waitOn(ports, WAIT_ON_INTERVAL_MS, { mark, stdout: 'ignore' });
    const exit = await within(waiter.exited, TIMEOUT_MS, null);
    if (exit?.code !== 0) throw new Error('wait-on did not succeed');
    run.child.kill('SIGINT');
    await within(run.exited, 5000, null);
    return exit.at - begun;
  } finally {
    await reap(mark);
  }
}

export async function timeToReady({ quick }) {
  const cwd = project(servicesManifest(SERVICES, [node, fixture('server.mjs')]));
  const [base, dl, peer, bare] = await interleave(quick ? 3 : 9, [
    direct,
    () => viaDevlaunch(cwd),
    viaPeer,
    nodeStart,
  ]);
  const b = median(base);
  const overhead = median(dl) - b;
  const peerOverhead = median(peer) - b;
  const nodeMs = median(bare);
  const beyondNode = overhead - nodeMs;
  return [
    {
      id: 'ready-total',
      metric: `time to ready: ${SERVICES} services (${DELAY_MS} ms delay)`,
      unit: 'ms',
      devlaunch: median(dl),
      baseline: b,
      peer: median(peer),
      ratio: median(dl) / median(peer),
      ratioOf: 'peer',
      goal: null,
      met: null,
    },
    {
      id: 'ready-overhead',
      metric: 'time to ready: overhead over the services',
      unit: 'ms',
      devlaunch: overhead,
      baseline: 0,
      peer: peerOverhead,
      ratio: overhead / peerOverhead,
      ratioOf: 'peer',
      goal: 'below the peer',
      met: overhead < peerOverhead,
    },
    {
      id: 'ready-beyond-node',
      metric: 'time to ready: overhead − one node -e 0',
      unit: 'ms',
      devlaunch: beyondNode,
      baseline: nodeMs,
      peer: peerOverhead - nodeMs,
      ratio: null,
      goal: `≤ ${READY_GOAL_MS} ms`,
      met: beyondNode <= READY_GOAL_MS,
    },
  ];
}
