/**
 * Cold start: `devlaunch --version`, `devlaunch config` (3-service manifest) and `devlaunch
 * status` with no session running, against `node -e 0` (the floor for any Node CLI) and
 * `concurrently --version`. Wall time of the whole process, spawn to exit, of the bin as users
 * run it (so a CommonJS entry or a flag in the shebang shows). The compile cache is warmed by
 * one run of each first, as it is for anyone who has run devlaunch before.
 */
import { spawnSync } from 'node:child_process';
import { node } from '../lib/proc.mjs';
import { interleave, median } from '../lib/stats.mjs';
import {
  concurrentlyBin,
  devlaunchBin,
  fixture,
  project,
  servicesManifest,
} from '../lib/tools.mjs';

/** `status` with no session answers 3 (LSB "not running"): that is its success here. */
function timed(args, cwd) {
  const begun = performance.now();
  const result = spawnSync(node, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - begun;
  const expected = args.at(-1) === 'status' ? 3 : 0;
  if (result.status !== expected)
    throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return ms;
}

/** The goals: each a ratio to `node -e 0` measured in the same run. */
export const COLD_START_GOALS = { version: 1.15, config: 1.4, status: 1.3 };

export async function coldStart({ quick }) {
  const cwd = project(servicesManifest(3, [node, fixture('server.mjs')]));
  const rounds = quick ? 5 : 20;
  const runs = {
    version: [devlaunchBin, '--version'],
    config: [devlaunchBin, 'config'],
    status: [devlaunchBin, 'status'],
  };
  // Warm the file cache and the compile cache once for everyone.
  for (const args of Object.values(runs)) timed(args, cwd);
  const [base, version, config, status, peer] = await interleave(rounds, [
    () => timed(['-e', '0'], cwd),
    () => timed(runs.version, cwd),
    () => timed(runs.config, cwd),
    () => timed(runs.status, cwd),
    () => timed([concurrentlyBin, '--version'], cwd),
  ]);
  const b = median(base);
  const row = (id, metric, times, limit, peerMs) => ({
    id,
    metric,
    unit: 'ms',
    devlaunch: median(times),
    baseline: b,
    peer: peerMs,
    ratio: median(times) / b,
    ratioOf: 'baseline',
    goal: `≤ ${limit}× node -e 0`,
    met: median(times) <= limit * b,
  });
  return [
    row('cold-version', 'cold start: --version', version, COLD_START_GOALS.version, median(peer)),
    row('cold-config', 'cold start: config (3 services)', config, COLD_START_GOALS.config, null),
    row('cold-status', 'cold start: status, no session', status, COLD_START_GOALS.status, null),
  ];
}
