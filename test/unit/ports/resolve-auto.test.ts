/** `auto` ports, asked for from the OS all at once: every one distinct, none a preferred port. */
import { describe, expect, it } from 'vitest';
import { resolvePorts } from '../../../src/ports/resolve-ports.js';
import { manifest } from '../../helpers/manifest.js';

describe('resolvePorts with many auto ports', () => {
  it('gives each of 80 auto ports its own port from the OS', async () => {
    const services: Record<string, { port: 'auto' | number; ports?: Record<string, 'auto'> }> = {};
    for (let i = 0; i < 40; i++) services[`s${i}`] = { port: 'auto', ports: { debug: 'auto' } };
    const m = manifest(services);
    const resolved = await resolvePorts(m, Object.keys(services), {
      dynamic: false,
      overrides: {},
    });
    const ports = Object.values(resolved).flatMap((r) => [r.primary, ...Object.values(r.named)]);
    expect(ports).toHaveLength(80);
    expect(ports.every((p) => typeof p === 'number' && p > 0)).toBe(true);
    expect(new Set(ports).size).toBe(80);
  });

  it('with --dynamic, preferred ports too come from the OS, all distinct', async () => {
    const m = manifest({ a: { port: 3000 }, b: { port: 3001 }, c: { port: 'auto' } });
    const resolved = await resolvePorts(m, ['a', 'b', 'c'], { dynamic: true, overrides: {} });
    const ports = ['a', 'b', 'c'].map((n) => resolved[n]?.primary);
    expect(new Set(ports).size).toBe(3);
  });
});
