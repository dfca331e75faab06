/**
 * Starting some services of a running session (`restart`, `up SERVICE`, the dashboard's start):
 * each target and what it needs that is not running, each once its dependencies allow.
 */
import { DevlaunchError } from '../errors.js';
import { isSettled } from './lifecycle.js';
import { isRunning, meets, milestoneOf, whenReady, withDependencies } from './service-graph.js';
import type { ServiceRunner } from './service-runner.js';

/**
 * Starts `targets` and what they need among `runners` (running ones are left alone), each once
 * its dependencies have reached their condition; resolves once every target is ready (or
 * completed), rejects (SERVICE_FAILED) if one is not or if `stopping()` turns true first.
 */
export async function startWithDependencies(
  runners: readonly ServiceRunner[],
  targets: readonly ServiceRunner[],
  stopping: () => boolean,
): Promise<void> {
  const begun = new Map<ServiceRunner, Promise<void>>();
  const launches = withDependencies(runners, targets).map((runner) => {
    let markBegun!: () => void;
    begun.set(runner, new Promise((resolve) => (markBegun = resolve)));
    return (async () => {
      try {
        await dependenciesMet(runners, runner, begun);
        if (stopping()) throw new DevlaunchError('SERVICE_FAILED', 'the session stopped');
        if (!isRunning(runner)) {
          await runner.until((s) => s.kind === 'pending' || isSettled(s));
          void runner.start();
        }
      } finally {
        markBegun();
      }
      if (targets.includes(runner)) await whenReady(runner);
    })();
  });
  const failed = (await Promise.allSettled(launches)).find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/** Waits until `runner`'s dependencies have begun and reached their condition, or throws. */
async function dependenciesMet(
  runners: readonly ServiceRunner[],
  runner: ServiceRunner,
  begun: ReadonlyMap<ServiceRunner, Promise<void>>,
): Promise<void> {
  for (const [dep, condition] of Object.entries(runner.spec.config.depends_on)) {
    const other = runners.find((r) => r.name === dep);
    if (other === undefined) continue;
    await begun.get(other);
    if (meets(other.current, condition)) continue;
    if (!(await milestoneOf(other, condition).reached)) {
      throw new DevlaunchError(
        'SERVICE_FAILED',
        `${runner.name} was not started: ${dep} did not get ${condition}`,
      );
    }
  }
}
