/** The dependency graph among a session's runners: closures, stop order, conditions. */
import { DevlaunchError } from '../errors.js';
import type { DependencyCondition } from '../manifest/types.js';
import { hasEnded, type Lifecycle } from './lifecycle.js';
import type { Milestone } from './milestone.js';
import type { ServiceRunner } from './service-runner.js';

/** `targets` and everything they depend on, directly or not, in start order. */
export function withDependencies(
  runners: readonly ServiceRunner[],
  targets: readonly ServiceRunner[],
): ServiceRunner[] {
  const picked = new Set<ServiceRunner>();
  const add = (runner: ServiceRunner) => {
    if (picked.has(runner)) return;
    picked.add(runner);
    for (const dep of Object.keys(runner.spec.config.depends_on)) {
      const other = runners.find((r) => r.name === dep);
      if (other) add(other);
    }
  };
  for (const target of targets) add(target);
  return runners.filter((r) => picked.has(r));
}

/** `targets` and everything that depends on them, directly or not, in start order. */
export function withDependents(
  runners: readonly ServiceRunner[],
  targets: readonly ServiceRunner[],
): ServiceRunner[] {
  const picked = new Set<ServiceRunner>(targets);
  let grew = true;
  while (grew) {
    grew = false;
    for (const runner of runners) {
      if (picked.has(runner)) continue;
      const needs = Object.keys(runner.spec.config.depends_on);
      if (needs.some((dep) => [...picked].some((p) => p.name === dep))) {
        picked.add(runner);
        grew = true;
      }
    }
  }
  return runners.filter((r) => picked.has(r));
}

/** Dependents stop before what they depend on; independent services stop in parallel. */
export function stopInReverseOrder(
  runners: readonly ServiceRunner[],
  force: boolean,
): Promise<void> {
  const stops = new Map<string, Promise<void>>();
  const stopOne = (runner: ServiceRunner): Promise<void> => {
    const existing = stops.get(runner.name);
    if (existing) return existing;
    const dependents = runners.filter((r) => runner.name in r.spec.config.depends_on);
    const promise = Promise.all(dependents.map(stopOne)).then(() => runner.stop(force));
    stops.set(runner.name, promise);
    return promise;
  };
  return Promise.all(runners.map(stopOne)).then(() => undefined);
}

/** The milestone of the runner's current run that `condition` waits for. */
export function milestoneOf(runner: ServiceRunner, condition: DependencyCondition): Milestone {
  switch (condition) {
    case 'started':
      return runner.started;
    case 'ready':
      return runner.ready;
    case 'completed':
      return runner.completed;
  }
}

/** Whether a dependency in `state` already meets `condition` (a completed task meets all). */
export function meets(state: Lifecycle, condition: DependencyCondition): boolean {
  if (state.kind === 'completed') return true;
  if (condition === 'started') return state.kind === 'starting' || state.kind === 'ready';
  if (condition === 'ready') return state.kind === 'ready';
  return false;
}

/** A process runs, or is about to (spawning, or waiting out a restart's backoff). */
export function isRunning(runner: ServiceRunner): boolean {
  const { kind } = runner.current;
  return (
    kind === 'spawning' ||
    kind === 'stop-requested-while-spawning' ||
    kind === 'starting' ||
    kind === 'ready' ||
    kind === 'exiting' ||
    kind === 'backoff'
  );
}

/** Resolves once the runner is ready (or completed); rejects if it ends otherwise. */
export async function whenReady(runner: ServiceRunner): Promise<void> {
  const state = await runner.until((s) => s.kind === 'ready' || hasEnded(s));
  if (state.kind === 'ready' || state.kind === 'completed') return;
  const why = state.kind === 'failed' ? state.reason : 'it was stopped';
  throw new DevlaunchError('SERVICE_FAILED', `${runner.name} did not get ready: ${why}`, {
    hint: `devlaunch logs ${runner.name} shows its output.`,
  });
}
