/**
 * A flood with a dashboard page open: two services print N coloured lines each, as in the
 * throughput scenario, once a page (an event-stream client reading as fast as it can) is
 * connected; the same run with no page is the baseline. Measured: devlaunch's own CPU time
 * (user + system of the devlaunch process, read from /proc while it runs) in both. A page shows
 * a bounded number of lines a second whatever the flood, so it should cost a bounded amount.
 */

import { closeSync, existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';
import { reap } from '../lib/measure.mjs';
import { followCpu, newMark, node, sleep, within } from '../lib/proc.mjs';
import { interleave, median } from '../lib/stats.mjs';
import { devlaunch, fixture, project } from '../lib/tools.mjs';

const NAMES = ['a', 'b'];
const TIMEOUT_MS = 120_000;

/** The session's dashboard URL, once its state file names it (bounded poll). */
async function dashboardUrl(cwd, until) {
  const file = join(cwd, '.devlaunch', 'session.json');
  while (performance.now() < until) {
    try {
      const url = JSON.parse(readFileSync(file, 'utf8')).dashboard;
      if (typeof url === 'string') return url;
    } catch {}
    await sleep(20);
  }
  throw new Error('the session named no dashboard');
}

/** Opens the event stream as a page does; resolves once the hello arrived. Reads everything. */
function openPage(url) {
  const { origin, searchParams } = new URL(url);
  const token = searchParams.get('token');
  return new Promise((resolve, reject) => {
    const req = get(`${origin}/api/events?token=${token}`, (res) => {
      res.once('data', () => resolve(req));
      res.resume();
    });
    req.once('error', reject);
  });
}

export async function dashboardFlood({ quick }) {
  const count = quick ? 100_000 : 1_000_000;
  // The services wait for GO, so the page is open before the flood begins.
  const services = (go) =>
    Object.fromEntries(
      NAMES.map((n) => [
        n,
        {
          command: [
            'sh',
            '-c',
            `while [ ! -e '${go}' ]; do sleep 0.01; done; exec '${node}' '${fixture('lines.mjs')}' ${n} ${count} color`,
          ],
        },
      ]),
    );
  const run = async (withPage) => {
    // Services start in the project's folder: GO is found there.
    const cwd = project({ name: 'bench', services: services('GO') });
    const go = join(cwd, 'GO');
    const mark = newMark();
    const devNull = openSync('/dev/null', 'w');
    const used = { ms: null };
    let page = null;
    try {
      const up = followCpu(
        devlaunch(['up'], { mark, cwd, env: { FORCE_COLOR: '1' }, stdout: devNull }),
        used,
      );
      if (withPage) page = await openPage(await dashboardUrl(cwd, performance.now() + TIMEOUT_MS));
      writeFileSync(go, '');
      const exit = await within(up.exited, TIMEOUT_MS, null);
      if (exit === null) throw new Error('the dashboard flood did not finish');
      if (!existsSync(go)) throw new Error('the flood never began');
      return used.ms;
    } finally {
      page?.destroy();
      closeSync(devNull);
      await reap(mark);
    }
  };
  const [withPage, withoutPage] = await interleave(quick ? 1 : 3, [
    () => run(true),
    () => run(false),
  ]);
  const a = withPage.includes(null) ? null : median(withPage);
  const b = withoutPage.includes(null) ? null : median(withoutPage);
  return [
    {
      id: 'dashboard-flood-cpu',
      metric: `devlaunch's CPU for 2 × ${count.toLocaleString('en')} coloured lines with a dashboard page open`,
      unit: 'ms',
      devlaunch: a,
      baseline: b,
      peer: null,
      ratio: a === null || b === null ? null : a / b,
      ratioOf: 'baseline',
      goal: '≤ 1.5× baseline (the same run with no page)',
      met: a === null || b === null ? false : a <= 1.5 * b,
    },
  ];
}
