/**
 * Cold start: `devlaunch --version` and `devlaunch config` against `node -e 0` (the floor for any
 * Node CLI) and `concurrently --version`. Wall time of the whole process, spawn to exit.
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

function timed(args, cwd) {
  const begun = performance.now();
  const result = spawnSync(node, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - begun;
  if (result.status !== 0)
    throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return ms;
}

export async function coldStart({ quick }) {
  const cwd = project(servicesManifest(3, [node, fixture('server.mjs')]));
  const rounds = quick ? 5 : 20;
  timed([devlaunchBin, 'config'], cwd); // warm the file cache once for everyone
  const [base, version, config, peer] = await interleave(rounds, [
    () => timed(['-e', '0'], cwd),
    () => timed([devlaunchBin, '--version'], cwd),
    () => timed([devlaunchBin, 'config'], cwd),
    () => timed([concurrentlyBin, '--version'], cwd),
  ]);
  const b = median(base);
  const p = median(peer);
  return [
    {
      id: 'cold-version',
      metric: 'cold start: --version',
      unit: 'ms',
      devlaunch: median(version),
      baseline: b,
      peer: p,
      ratio: median(version) / b,
      ratioOf: 'baseline',
      goal: '≤ 1.5× node -e 0',
      met: median(version) <= 1.5 * b,
    },
    {
      id: 'cold-config',
      metric: 'cold start: config',
      unit: 'ms',
      devlaunch: median(config),
      baseline: b,
      peer: null,
      ratio: median(config) / b,
      ratioOf: 'baseline',
      goal: '≤ 1.5× node -e 0',
      met: median(config) <= 1.5 * b,
    },
  ];
}
