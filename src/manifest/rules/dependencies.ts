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

/** Each cycle once, e.g. `a → b → a`, reported at the dependency that closes it. */
export function dependencyCycles(manifest: Manifest): Problem[] {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const problems: Problem[] = [];
  const visit = (name: string) => {
    state.set(name, 'visiting');
    stack.push(name);
    for (const dep of Object.keys(manifest.services[name]?.depends_on ?? {})) {
      if (!hasKey(manifest.services, dep)) continue; // reported by unknownDependencies
      const seen = state.get(dep);
      if (seen === 'visiting') {
        const cycle = [...stack.slice(stack.indexOf(dep)), dep];
        problems.push({
          path: ['services', name, 'depends_on', dep],
          atKey: true,
          message: `dependency cycle: ${cycle.join(' → ')}`,
          expected: 'dependencies that end somewhere',
          found: cycle.join(' → '),
          hint:
            cycle.length === 2
              ? `a service cannot depend on itself: remove ${dep} from its depends_on`
              : `remove one of these depends_on entries`,
        });
      } else if (seen === undefined) {
        visit(dep);
      }
    }
    stack.pop();
    state.set(name, 'done');
  };
  for (const name of Object.keys(manifest.services)) {
    if (!state.has(name)) visit(name);
  }
  return problems;
}
