import { describe, expect, it } from 'vitest';
import { reusedFor } from '../../src/reuse.js';

describe('reusedFor', () => {
  it('reads once, shares that reading while it is at most `ms` old, then reads again', () => {
    let clock = 1000;
    let reads = 0;
    const table = reusedFor(
      100,
      () => {
        reads += 1;
        return { reading: reads };
      },
      () => clock,
    );
    expect(reads).toBe(0); // nothing read before it is asked for
    const first = table();
    expect(first).toEqual({ reading: 1 });
    clock += 100;
    expect(table()).toBe(first); // exactly `ms` old: still shared
    clock += 1;
    expect(table()).toEqual({ reading: 2 });
    expect(table()).toEqual({ reading: 2 });
    expect(reads).toBe(2);
  });

  it('shares a pending promise as it is (callers await the same reading)', async () => {
    let reads = 0;
    const sockets = reusedFor(50, async () => {
      reads += 1;
      return new Map([[reads, 8080]]);
    });
    const [a, b] = await Promise.all([sockets(), sockets()]);
    expect(a).toBe(b);
    expect(reads).toBe(1);
  });
});
