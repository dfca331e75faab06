/** Where dynamic ports come from: the ephemeral range read, the pools outside it, the pick. */
import { describe, expect, it } from 'vitest';
import {
  dynamicPools,
  IANA_EPHEMERAL,
  LOW_FLOOR,
  parseLinuxPortRange,
  parseNetshDynamicPort,
  parseSysctlPortRange,
  pickFromPools,
} from '../../../src/ports/dynamic-range.js';

describe('parseLinuxPortRange', () => {
  it('reads the two numbers of ip_local_port_range (tab or spaces, newline)', () => {
    expect(parseLinuxPortRange('32768\t60999\n')).toEqual({ from: 32768, to: 60999 });
    expect(parseLinuxPortRange('  1024   65535 ')).toEqual({ from: 1024, to: 65535 });
  });

  it.each(['', 'abc', '32768', '32768 60999 1', '60999 32768', '0 100', '1024 70000'])(
    'refuses %j',
    (text) => {
      expect(parseLinuxPortRange(text)).toBeNull();
    },
  );
});

describe('parseSysctlPortRange', () => {
  it('reads first and last from two lines of sysctl -n', () => {
    expect(parseSysctlPortRange('49152\n65535\n')).toEqual({ from: 49152, to: 65535 });
  });

  it.each(['', '49152\n', 'sysctl: unknown oid', '49152\n65535\n1', '65535\n49152'])(
    'refuses %j',
    (text) => {
      expect(parseSysctlPortRange(text)).toBeNull();
    },
  );
});

describe('parseNetshDynamicPort', () => {
  it('reads start and count, whatever language the labels are in', () => {
    const english =
      '\r\nProtocol tcp Dynamic Port Range\r\n---------------------------------\r\nStart Port      : 49152\r\nNumber of Ports : 16384\r\n';
    expect(parseNetshDynamicPort(english)).toEqual({ from: 49152, to: 65535 });
    const german =
      '\nProtokoll tcp Dynamischer Portbereich\n---------------------------------\nStartport       : 10000\nAnzahl der Ports: 1000\n';
    expect(parseNetshDynamicPort(german)).toEqual({ from: 10000, to: 10999 });
  });

  it.each([
    '',
    'The requested operation requires elevation.',
    'Start Port : 49152',
    'Start Port : 60000\nNumber of Ports : 16384',
    'Start Port : 49152\nNumber of Ports : 0',
  ])('refuses %j', (text) => {
    expect(parseNetshDynamicPort(text)).toBeNull();
  });
});

describe('dynamicPools', () => {
  it('on Linux defaults: above the range first, then below it from LOW_FLOOR', () => {
    expect(dynamicPools({ from: 32768, to: 60999 })).toEqual([
      { from: 61000, to: 65535 },
      { from: LOW_FLOOR, to: 32767 },
    ]);
  });

  it('with the IANA range (macOS, Windows): only below it', () => {
    expect(dynamicPools(IANA_EPHEMERAL)).toEqual([{ from: LOW_FLOOR, to: 49151 }]);
  });

  it('is empty when the range leaves nothing above it nor from LOW_FLOOR up', () => {
    expect(dynamicPools({ from: 1024, to: 65535 })).toEqual([]);
    expect(dynamicPools({ from: LOW_FLOOR, to: 65535 })).toEqual([]);
    expect(dynamicPools({ from: LOW_FLOOR + 1, to: 65535 })).toEqual([
      { from: LOW_FLOOR, to: LOW_FLOOR },
    ]);
  });

  it('never yields a port inside the ephemeral range', () => {
    for (const range of [
      { from: 32768, to: 60999 },
      { from: 10000, to: 20000 },
      { from: 50000, to: 65534 },
      IANA_EPHEMERAL,
    ]) {
      for (const pool of dynamicPools(range)) {
        expect(pool.to < range.from || pool.from > range.to).toBe(true);
        expect(pool.from).toBeGreaterThanOrEqual(LOW_FLOOR);
        expect(pool.to).toBeLessThanOrEqual(65535);
      }
    }
  });
});

/** A random() that returns the given fractions in turn, then repeats the last. */
const sequence = (...values: number[]) => {
  let i = 0;
  return () => values[Math.min(i++, values.length - 1)] as number;
};

describe('pickFromPools', () => {
  const pools = [
    { from: 61000, to: 61009 },
    { from: 20000, to: 20009 },
  ];

  it('returns the first usable random port of the first pool', async () => {
    const asked: number[] = [];
    const port = await pickFromPools(
      pools,
      async (p) => {
        asked.push(p);
        return p !== 61000;
      },
      { random: sequence(0, 0.55) },
    );
    expect(asked).toEqual([61000, 61005]);
    expect(port).toBe(61005);
  });

  it('covers the whole pool: random() near 1 gives its last port, never one past it', async () => {
    const seen = new Set<number>();
    await pickFromPools(
      [{ from: 61000, to: 61009 }],
      async (p) => {
        seen.add(p);
        return false;
      },
      { random: sequence(0.999999, 0.9999999999999999, 0), tries: 3 },
    );
    expect([...seen].sort()).toEqual([61000, 61009]);
  });

  it('moves to the next pool once its tries are spent (a skipped port counts as one), and never asks about a skipped port', async () => {
    const asked: number[] = [];
    const port = await pickFromPools(
      pools,
      async (p) => {
        asked.push(p);
        return p >= 20000 && p < 21000;
      },
      { random: sequence(0.1, 0.2, 0.3, 0.4), tries: 3, skip: new Set([61003]) },
    );
    expect(asked).toEqual([61001, 61002, 20004]);
    expect(port).toBe(20004);
  });

  it('returns null when no port of any pool is usable, asking each number at most once', async () => {
    const asked: number[] = [];
    const port = await pickFromPools(
      pools,
      async (p) => {
        asked.push(p);
        return false;
      },
      { tries: 50 },
    );
    expect(port).toBeNull();
    expect(new Set(asked).size).toBe(asked.length);
    expect(asked.every((p) => (p >= 61000 && p <= 61009) || (p >= 20000 && p <= 20009))).toBe(true);
  });

  it('returns null for no pools', async () => {
    expect(await pickFromPools([], async () => true)).toBeNull();
  });
});
