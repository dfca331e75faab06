/**
 * The dependency graph of a manifest's services: which services a selection needs, in what
 * order they start, and which depend on a given one. Pure; validation has already rejected
 * unknown names and cycles.
 */

import { hasKey } from '../dict.js';
import { DevlaunchError } from '../errors.js';
import type { Manifest } from '../manifest/types.js';

/** `wanted` plus everything they depend on, directly or not. Empty `wanted` means all. */
export function withDependencies(manifest: Manifest, wanted: readonly string[]): string[] {
  if (wanted.length === 0) return Object.keys(manifest.services);
  const picked = new Set<string>();
  // A stack, not recursion: a chain of thousands of services must not overflow the call stack.
  const stack = [...wanted];
  for (let name = stack.pop(); name !== undefined; name = stack.pop()) {
    if (picked.has(name)) continue;
    picked.add(name);
    stack.push(...Object.keys(manifest.services[name]?.depends_on ?? {}));
  }
  // Keep manifest order, so output and tables are stable.
  return Object.keys(manifest.services).filter((name) => picked.has(name));
}

/**
 * A start order: every service after what it depends on, manifest order otherwise.
 * The supervisor starts independent services in parallel; this order is for stopping
 * (reversed) and for stable listings.
 */
export function startOrder(manifest: Manifest, names: readonly string[]): string[] {
  const included = new Set(names);
  const done = new Set<string>();
  const order: string[] = [];
  // Depth first with a stack of its own (a long chain must not overflow the call stack): a
  // service goes into the order once everything it depends on has.
  for (const root of names) {
    const trail = new Set<string>();
    const frames: Array<{ name: string; deps: string[]; next: number }> = [];
    const enter = (name: string) => {
      if (done.has(name) || trail.has(name)) return;
      trail.add(name);
      const deps = Object.keys(manifest.services[name]?.depends_on ?? {});
      frames.push({ name, deps: deps.filter((dep) => included.has(dep)), next: 0 });
    };
    enter(root);
    for (let top = frames.at(-1); top !== undefined; top = frames.at(-1)) {
      if (top.next < top.deps.length) enter(top.deps[top.next++] as string);
      else {
        frames.pop();
        done.add(top.name);
        order.push(top.name);
      }
    }
  }
  return order;
}

/** Every service that depends on `name`, directly or not (not `name` itself). */
export function dependentsOf(manifest: Manifest, name: string): string[] {
  const found = new Set<string>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const [candidate, config] of Object.entries(manifest.services)) {
      if (found.has(candidate) || candidate === name) continue;
      const deps = Object.keys(config.depends_on);
      if (deps.includes(name) || deps.some((d) => found.has(d))) {
        found.add(candidate);
        grew = true;
      }
    }
  }
  return Object.keys(manifest.services).filter((n) => found.has(n));
}

/** Service names from the command line must exist: a typo is a usage error (exit 2). */
export function checkServiceNames(manifest: Manifest, wanted: readonly string[]): void {
  const unknown = wanted.filter((name) => !hasKey(manifest.services, name));
  if (unknown.length > 0) {
    throw new DevlaunchError(
      'USAGE',
      `no service named ${unknown.join(', ')} in ${manifest.file}`,
      {
        hint: `The services are: ${Object.keys(manifest.services).join(', ')}.`,
      },
    );
  }
}
