/** A dependency chain of any length is walked without recursion: an answer, never a stack overflow. */
import { describe, expect, it } from 'vitest';
import { dependencyCycles } from '../../../src/manifest/rules/dependencies.js';
import type { Manifest } from '../../../src/manifest/types.js';

/** Services s0 → s1 → … → s(n-1), and back to s0 when `closed`; only depends_on matters here. */
function chain(n: number, closed: boolean): Manifest {
  const services: Record<string, { depends_on: Record<string, string> }> = {};
  for (let i = 0; i < n; i++) {
    const next = i + 1 < n ? `s${i + 1}` : closed ? 's0' : null;
    services[`s${i}`] = { depends_on: next === null ? {} : { [next]: 'started' } };
  }
  return { services } as unknown as Manifest;
}

describe('dependency cycles in a long chain', () => {
  it('a cycle through 50000 services is one problem naming its closing dependency', () => {
    const [problem, ...more] = dependencyCycles(chain(50_000, true));
    expect(more).toEqual([]);
    expect(problem?.path).toEqual(['services', 's49999', 'depends_on', 's0']);
    expect(problem?.message).toBe(
      'dependency cycle: s0 → s1 → s2 → s3 → s4 → s5 → … 49991 more … → s49997 → s49998 → s49999 → s0',
    );
  });

  it('the same chain without the last link has no cycle', () => {
    expect(dependencyCycles(chain(50_000, false))).toEqual([]);
  });
});
