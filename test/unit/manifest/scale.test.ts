/**
 * Checks that compared every service with every other one, now linear (or one pass per distinct
 * name). Each case here ran for minutes before; nothing is timed, the timeouts are generous.
 */
import { describe, expect, it } from 'vitest';
import { dependencyCycles, unknownDependencies } from '../../../src/manifest/rules/dependencies.js';
import { closest, editDistance, editDistanceWithin } from '../../../src/manifest/suggest.js';
import type { Manifest } from '../../../src/manifest/types.js';
import { problems } from './helpers.js';

function services(deps: (i: number) => string[], count: number): Manifest {
  const all: Record<string, { depends_on: Record<string, string> }> = {};
  for (let i = 0; i < count; i++) {
    all[`s${i}`] = { depends_on: Object.fromEntries(deps(i).map((d) => [d, 'ready'])) };
  }
  return { services: all } as unknown as Manifest;
}

describe('suggestions', () => {
  it('editDistanceWithin is editDistance capped at max + 1', () => {
    const letters = 'abAB-_c';
    let seed = 7;
    const word = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const length = seed % 10;
      return Array.from({ length }, (_, i) => letters[(seed >> (i + 3)) % letters.length]).join('');
    };
    for (let k = 0; k < 20_000; k++) {
      const [a, b, max] = [word(), word(), k % 5];
      expect(editDistanceWithin(a, b, max), `${a} ${b} ${max}`).toBe(
        Math.min(editDistance(a, b), max + 1),
      );
    }
  });

  it('closest keeps the first of equally close candidates and folds case and -/_', () => {
    expect(closest('backnd', ['frontend', 'backend', 'backendx'])).toBe('backend');
    expect(closest('AUTH-api', ['auth_api'])).toBe('auth_api');
    expect(closest('ab', ['ax', 'ay'])).toBe('ax');
    expect(closest('zzzzzz', ['backend'])).toBeUndefined();
  });
});

describe('dependency rules on 50,000 services', () => {
  it('looks for a suggestion once per unknown name', { timeout: 120_000 }, () => {
    const found = unknownDependencies(services(() => ['s1x'], 50_000));
    expect(found).toHaveLength(50_000);
    expect(found[49_999]).toMatchObject({
      path: ['services', 's49999', 'depends_on', 's1x'],
      hint: 'did you mean "s1"?',
      // The first names and how many more, not 50,000 names.
      expected: 'one of s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, … 49988 more',
    });
  });

  it('names each of many cycles closed deep in a chain', { timeout: 120_000 }, () => {
    // s0 → s1 → … → s49999, and each also back to s0: 50,000 cycles, the longest 50,000 long.
    const chain = services((i) => [...(i + 1 < 50_000 ? [`s${i + 1}`] : []), 's0'], 50_000);
    const found = dependencyCycles(chain);
    expect(found).toHaveLength(50_000);
    expect(found[0]?.message).toBe(
      'dependency cycle: s0 → s1 → s2 → s3 → s4 → s5 → … 49991 more … → s49997 → s49998 → s49999 → s0',
    );
    expect(found.at(-1)?.message).toBe('dependency cycle: s0 → s0'); // s0's own back-link, last
  });
});

describe('placing many problems', () => {
  it('points at each of 5,000 bad ports in its own service', { timeout: 120_000 }, () => {
    const text = `services:\n${Array.from({ length: 5000 }, (_, i) => `  s${i}:\n    command: run\n    port: 99999\n`).join('')}`;
    const found = problems(text);
    expect(found).toHaveLength(5000);
    expect(found[4999]).toMatchObject({ path: ['services', 's4999', 'port'], line: 15_001 });
  });

  it('reports 5,000 missing commands once each', { timeout: 120_000 }, () => {
    const text = `services:\n${Array.from({ length: 5000 }, (_, i) => `  s${i}:\n    port: auto\n`).join('')}`;
    const found = problems(text);
    expect(found).toHaveLength(5000);
    expect(found[0]?.message).toBe('missing required key "command"');
  });
});
