/** `depends_on` must name services of the manifest, and must not go round in a circle. */

import { hasKey } from '../../dict.js';
import type { Problem } from '../diagnostics.js';
import { didYouMeanIn, oneOf } from '../suggest.js';
import type { Manifest } from '../types.js';

export function unknownDependencies(manifest: Manifest): Problem[] {
  const names = Object.keys(manifest.services);
  let expected: string | undefined;
  const suggest = didYouMeanIn(names);
  // One answer per unknown name: services often share a dependency (a renamed `db`).
  const hints = new Map<string, string | undefined>();
  const problems: Problem[] = [];
  for (const [name, service] of Object.entries(manifest.services)) {
    for (const dep of Object.keys(service.depends_on)) {
      if (hasKey(manifest.services, dep)) continue;
      expected ??= oneOf(names);
      if (!hints.has(dep)) hints.set(dep, suggest(dep));
      problems.push({
        path: ['services', name, 'depends_on', dep],
        atKey: true,
        message: `depends_on names an unknown service "${dep}"`,
        expected,
        found: dep,
        hint: hints.get(dep),
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
  /** Where each service being visited is on the stack. */
  const depth = new Map<string, number>();
  const problems: Problem[] = [];
  const enter = (name: string) => {
    state.set(name, 'visiting');
    depth.set(name, stack.length);
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
        const cycle = cycleThrough(stack, depth.get(dep) as number);
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

/**
 * The cycle from `stack[from]` to the top and back to `stack[from]`; a long one as its first and
 * last services: printed whole, thousands would fill the screen. Costs the same however deep the
 * stack is, so a deep walk that closes many cycles stays linear.
 */
function cycleThrough(stack: readonly { name: string }[], from: number): string[] {
  const length = stack.length - from + 1;
  // The last place is the first service again.
  const at = (i: number) => (stack[i === length - 1 ? from : from + i] as { name: string }).name;
  const range = (start: number, end: number) =>
    Array.from({ length: end - start }, (_, k) => at(start + k));
  if (length <= 12) return range(0, length);
  return [...range(0, 6), `… ${length - 10} more …`, ...range(length - 4, length)];
}
