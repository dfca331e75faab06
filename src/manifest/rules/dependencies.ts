/** `depends_on` must name services of the manifest, and must not go round in a circle. */

import { hasKey } from '../../dict.js';
import type { Problem } from '../diagnostics.js';
import { didYouMean } from '../suggest.js';
import type { Manifest } from '../types.js';

export function unknownDependencies(manifest: Manifest): Problem[] {
  const names = Object.keys(manifest.services);
  const problems: Problem[] = [];
  for (const [name, service] of Object.entries(manifest.services)) {
    for (const dep of Object.keys(service.depends_on)) {
      if (hasKey(manifest.services, dep)) continue;
      problems.push({
        path: ['services', name, 'depends_on', dep],
        atKey: true,
        message: `depends_on names an unknown service "${dep}"`,
        expected: `one of ${names.join(', ')}`,
        found: dep,
        hint: didYouMean(dep, names),
      });
    }
  }
  return problems;
}

/**
 * Each cycle once, e.g. `a → b → a`, reported at the dependency that closes it. A depth-first
 * walk with its own stack, not recursion: a chain of thousands of services is an answer, not a
 * stack overflow.
 */
export function dependencyCycles(manifest: Manifest): Problem[] {
  const state = new Map<string, 'visiting' | 'done'>();
  /** The path being walked: each service and the dependencies still to look at. */
  const stack: { name: string; deps: Iterator<string> }[] = [];
  const problems: Problem[] = [];
  const enter = (name: string) => {
    state.set(name, 'visiting');
    const deps = Object.keys(manifest.services[name]?.depends_on ?? {});
    stack.push({ name, deps: deps[Symbol.iterator]() });
  };
  for (const root of Object.keys(manifest.services)) {
    if (state.has(root)) continue;
    enter(root);
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as (typeof stack)[number];
      const next = top.deps.next();
      if (next.done === true) {
        stack.pop();
        state.set(top.name, 'done');
        continue;
      }
      const dep = next.value;
      if (!hasKey(manifest.services, dep)) continue; // reported by unknownDependencies
      const seen = state.get(dep);
      if (seen === undefined) {
        enter(dep);
      } else if (seen === 'visiting') {
        const names = stack.map((frame) => frame.name);
        const cycle = shorten([...names.slice(names.indexOf(dep)), dep]);
        problems.push({
          path: ['services', top.name, 'depends_on', dep],
          atKey: true,
          message: `dependency cycle: ${cycle.join(' → ')}`,
          expected: 'dependencies that end somewhere',
          found: cycle.join(' → '),
          hint:
            cycle.length === 2
              ? `a service cannot depend on itself: remove ${dep} from its depends_on`
              : `remove one of these depends_on entries`,
        });
      }
    }
  }
  return problems;
}

/** A long cycle as its first and last services: printed whole, thousands would fill the screen. */
function shorten(cycle: string[]): string[] {
  if (cycle.length <= 12) return cycle;
  return [...cycle.slice(0, 6), `… ${cycle.length - 10} more …`, ...cycle.slice(-4)];
}
