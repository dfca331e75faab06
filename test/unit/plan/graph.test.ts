import { describe, expect, it } from 'vitest';
import type { Manifest, ServiceConfig } from '../../../src/manifest/types.js';
import { dependentsOf, startOrder, withDependencies } from '../../../src/plan/graph.js';
import { manifest as baseManifest, service as baseService } from '../../helpers/manifest.js';

const service = (name: string, depends: string[] = []) =>
  baseService(name, { depends_on: Object.fromEntries(depends.map((d) => [d, 'ready' as const])) });

function manifest(...services: ServiceConfig[]): Manifest {
  return baseManifest(Object.fromEntries(services.map((s) => [s.name, s])));
}

// frontend → backend → auth, migrate → (nothing), worker → backend
const shop = manifest(
  service('frontend', ['backend']),
  service('backend', ['auth', 'migrate']),
  service('auth'),
  service('migrate'),
  service('worker', ['backend']),
);

describe('withDependencies', () => {
  it('selects everything when nothing is named', () => {
    expect(withDependencies(shop, [])).toEqual([
      'frontend',
      'backend',
      'auth',
      'migrate',
      'worker',
    ]);
  });
  it('adds what the named services depend on, transitively, in manifest order', () => {
    expect(withDependencies(shop, ['frontend'])).toEqual([
      'frontend',
      'backend',
      'auth',
      'migrate',
    ]);
    expect(withDependencies(shop, ['auth'])).toEqual(['auth']);
  });
});

describe('startOrder', () => {
  it('puts every service after its dependencies', () => {
    const order = startOrder(shop, withDependencies(shop, []));
    for (const [name, config] of Object.entries(shop.services)) {
      for (const dep of Object.keys(config.depends_on)) {
        expect(order.indexOf(dep), `${dep} before ${name}`).toBeLessThan(order.indexOf(name));
      }
    }
    expect(order).toHaveLength(5);
  });
  it('ignores dependencies outside the selection', () => {
    expect(startOrder(shop, ['frontend', 'backend'])).toEqual(['backend', 'frontend']);
  });
});

describe('dependentsOf', () => {
  it('finds direct and indirect dependents', () => {
    expect(dependentsOf(shop, 'auth')).toEqual(['frontend', 'backend', 'worker']);
    expect(dependentsOf(shop, 'backend')).toEqual(['frontend', 'worker']);
    expect(dependentsOf(shop, 'frontend')).toEqual([]);
  });
});

describe('a long chain (no recursion)', () => {
  // s0 depends on s1, …, s49999 on nothing: deeper than any call stack.
  const count = 50_000;
  const chain = manifest(
    ...Array.from({ length: count }, (_, i) =>
      service(`s${i}`, i + 1 < count ? [`s${i + 1}`] : []),
    ),
  );

  it('selects the whole chain from its first service', () => {
    expect(withDependencies(chain, ['s0'])).toHaveLength(count);
  });

  it('orders the whole chain, the last service first', () => {
    const order = startOrder(chain, Object.keys(chain.services));
    expect(order).toHaveLength(count);
    expect(order[0]).toBe(`s${count - 1}`);
    expect(order.at(-1)).toBe('s0');
  });
});
