/**
 * Teardown: from SIGINT to every process gone and every port bindable, for three services that
 * exit on SIGTERM, and for three of which one ignores SIGTERM and SIGINT (devlaunch's
 * stop_timeout: 500 ms, then SIGKILL). Survivors: processes still carrying the run's marker
 * when the tool has exited (or after the cap). Baseline: the bench itself signalling the same
 * three processes directly (SIGTERM, and SIGKILL after 500 ms for the stubborn one).
 * Crash: the same three services, devlaunch killed with SIGKILL: its watchdog must stop them
 * (the product promises within a second; the e2e tests only check that it happens).
 */
import { reap, timeTeardown } from '../lib/measure.mjs';
import { allBindable, freePorts } from '../lib/ports.mjs';
import { listeningPort, newMark, node, sleep, start, waitForLines, within } from '../lib/proc.mjs';
import { interleave, median } from '../lib/stats.mjs';
import { concurrently, devlaunch, fixture, project, waitOn } from '../lib/tools.mjs';

const STOP_TIMEOUT_MS = 500;
const CAP_MS = 4000;
const stubbornEnv = (stubborn, i) => (stubborn && i === 2 ? { STUBBORN: '1' } : {});

function manifest(stubborn) {
  const services = {};
  for (let i = 0; i < 3; i++) {
    services[`s${i + 1}`] = {
      command: [node, fixture('server.mjs')],
      port: 'auto',
      env: stubbornEnv(stubborn, i),
    };
  }
  return { name: 'bench', stop_timeout: `${STOP_TIMEOUT_MS}ms`, services };
}

async function direct(stubborn) {
  const mark = newMark();
  try {
    const runs = [0, 1, 2].map((i) =>
      start(node, [fixture('server.mjs')], {
        mark,
        env: { PORT: '0', ...stubbornEnv(stubborn, i) },
      }),
    );
    const ports = await Promise.all(runs.map((r) => listeningPort(r.child.stdout, 10_000)));
    const begun = performance.now();
    for (const r of runs) r.child.kill('SIGTERM');
    await within(Promise.all(runs.map((r) => r.exited)), STOP_TIMEOUT_MS, null);
    for (const r of runs)
      if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGKILL');
    await Promise.all(runs.map((r) => r.exited));
    while (!(await allBindable(ports))) await sleep(1);
    return { ms: performance.now() - begun, survivors: 0 };
  } finally {
    await reap(mark);
  }
}

async function viaDevlaunch(cwd, signal = 'SIGINT') {
  const mark = newMark();
  try {
    const run = devlaunch(['up', '--no-color'], { mark, cwd });
    let out = '';
    run.child.stdout.on('data', (c) => {
      out += c;
    });
    await waitForLines(run.child.stdout, /all services ready/, 1, 20_000);
    const ports = [...out.matchAll(/http:\/\/localhost:(\d+)/g)].map((m) => Number(m[1]));
    return await timeTeardown({ ...run, mark, ports, capMs: CAP_MS, signal });
  } finally {
    await reap(mark);
  }
}

async function viaPeer(stubborn, signal = 'SIGINT') {
  const mark = newMark();
  try {
    const ports = await freePorts(3);
    const commands = ports.map(
      (p, i) =>
        `PORT=${p} ${stubborn && i === 2 ? 'STUBBORN=1 ' : ''}${node} ${fixture('server.mjs')}`,
    );
    const run = concurrently(commands, { mark });
    run.child.stdout.resume();
    const waiter = waitOn(ports, 20, { mark, stdout: 'ignore' });
    await within(waiter.exited, 20_000, null);
    return await timeTeardown({ ...run, mark, ports, capMs: CAP_MS, signal });
  } finally {
    await reap(mark);
  }
}

/**
 * The time row and the survivors row of one way of stopping: `what` names them, sets the goal
 * and says whether the time is compared with the peer's (a peer that never stops has no ratio).
 */
function rows(what, base, dl, peer) {
  const d = median(dl.map((r) => r.ms));
  const p = median(peer.map((r) => r.ms));
  const dlSurvivors = Math.max(...dl.map((r) => r.survivors));
  const peerSurvivors = Math.max(...peer.map((r) => r.survivors));
  const peerTimedOut = peer.some((r) => r.ms === null);
  const compared = what.compare && !peerTimedOut;
  return [
    {
      id: what.id,
      metric: what.metric,
      unit: 'ms',
      devlaunch: dl.some((r) => r.ms === null) ? `> ${CAP_MS} ms` : d,
      baseline: median(base.map((r) => r.ms)),
      peer: peerTimedOut ? `never (> ${CAP_MS / 1000} s)` : p,
      ratio: compared ? d / p : null,
      ...(what.compare ? { ratioOf: 'peer' } : {}),
      goal: `≤ ${what.goalMs} ms`,
      met: dl.every((r) => r.ms !== null) && d <= what.goalMs,
    },
    {
      id: what.survivorsId,
      metric: what.survivorsMetric,
      unit: '',
      devlaunch: dlSurvivors,
      baseline: 0,
      peer: peerSurvivors,
      ratio: null,
      goal: '0',
      met: dlSurvivors === 0,
    },
  ];
}

/** A signal to the tool: all services exit on SIGTERM, or one ignores it (`stubborn`). */
function signalled(stubborn) {
  const label = stubborn ? 'one ignores SIGTERM' : 'all exit on SIGTERM';
  return {
    id: stubborn ? 'teardown-stubborn' : 'teardown',
    survivorsId: stubborn ? 'survivors-stubborn' : 'survivors',
    metric: `teardown: ${label}`,
    survivorsMetric: `survivors: ${label}`,
    goalMs: stubborn ? STOP_TIMEOUT_MS + 100 : 100,
    compare: true,
  };
}

/** kill -9 of the tool: how long until its services are gone and their ports bind. */
const CRASH = {
  id: 'crash',
  survivorsId: 'survivors-crash',
  metric: 'crash: kill -9 of the tool → its services gone',
  survivorsMetric: 'survivors: kill -9 of the tool',
  goalMs: 1000,
  compare: false,
};

export async function teardown({ quick }) {
  const out = [];
  for (const stubborn of [false, true]) {
    const cwd = project(manifest(stubborn));
    const [base, dl, peer] = await interleave(quick ? 2 : 5, [
      () => direct(stubborn),
      () => viaDevlaunch(cwd),
      () => viaPeer(stubborn),
    ]);
    out.push(...rows(signalled(stubborn), base, dl, peer));
  }
  const cwd = project(manifest(false));
  const [base, dl, peer] = await interleave(quick ? 2 : 5, [
    () => direct(false),
    () => viaDevlaunch(cwd, 'SIGKILL'),
    () => viaPeer(false, 'SIGKILL'),
  ]);
  out.push(...rows(CRASH, base, dl, peer));
  return out;
}
