import { describe, expect, it } from 'vitest';
import { layeredLookup, lookupIn, mergeEnv } from '../../../src/env/merge.js';

describe('mergeEnv', () => {
  it('lets a later layer win and skips undefined values', () => {
    expect(mergeEnv([{ A: '1', B: '1' }, { B: '2', C: undefined }, { C: '3' }], 'linux')).toEqual({
      A: '1',
      B: '2',
      C: '3',
    });
  });

  it('keeps names differing only in case apart on POSIX', () => {
    expect(mergeEnv([{ Path: '/a' }, { PATH: '/b' }], 'linux')).toEqual({ Path: '/a', PATH: '/b' });
  });

  it('on win32 a later spelling replaces every earlier one', () => {
    expect(
      mergeEnv([{ Path: 'C:\\a', Port: '1' }, { PATH: 'C:\\b' }, { port: '2' }], 'win32'),
    ).toEqual({ PATH: 'C:\\b', port: '2' });
  });

  it('on win32 the last layer always wins, whatever the casing below', () => {
    const merged = mergeEnv(
      [{ port: 'dotenv' }, { Port: 'shell' }, { pOrT: 'env' }, { PORT: '8000' }],
      'win32',
    );
    expect(merged).toEqual({ PORT: '8000' });
  });

  it('on win32 keeps the value of an earlier layer when a later one does not touch it', () => {
    expect(mergeEnv([{ SystemRoot: 'C:\\Windows' }, { X: '1' }], 'win32')).toEqual({
      SystemRoot: 'C:\\Windows',
      X: '1',
    });
  });
});

describe('lookupIn', () => {
  it('is exact on POSIX and ignores case on win32', () => {
    expect(lookupIn({ Path: '/a' }, 'linux')('PATH')).toBeUndefined();
    expect(lookupIn({ Path: '/a' }, 'linux')('Path')).toBe('/a');
    expect(lookupIn({ Path: 'C:\\a' }, 'win32')('PATH')).toBe('C:\\a');
  });

  it('does not find inherited object properties', () => {
    expect(lookupIn({}, 'linux')('toString')).toBeUndefined();
    expect(lookupIn({}, 'win32')('constructor')).toBeUndefined();
  });
});

describe('layeredLookup', () => {
  /** Layers with names that differ only in case, undefined values and inherited names. */
  const layers: Record<string, string | undefined>[] = [
    { Path: '/a', PORT: '1', A: 'low', toString: 'own' },
    { PATH: '/b', Port: undefined, B: '' },
    { port: '3', path: undefined, A: undefined },
    {},
  ];
  const names = ['Path', 'PATH', 'path', 'PORT', 'Port', 'port', 'A', 'a', 'B', 'toString'];
  names.push('constructor', '__proto__', 'missing');

  for (const platform of ['linux', 'win32'] as const) {
    it(`answers as lookupIn(mergeEnv(...)) does on ${platform}`, () => {
      const merged = lookupIn(mergeEnv(layers, platform), platform);
      const layered = layeredLookup(layers, platform);
      for (const name of names) expect(layered(name), name).toBe(merged(name));
    });
  }

  it('on win32 folds each layer once, however many lookups share it', () => {
    let reads = 0;
    const shared = new Proxy(
      { Path: 'C:\\x' },
      {
        ownKeys: (target) => {
          reads++;
          return Reflect.ownKeys(target);
        },
      },
    );
    const cache = new WeakMap();
    for (let i = 0; i < 100; i++)
      layeredLookup([shared, { [`V${i}`]: 'x' }], 'win32', cache)('PATH');
    expect(reads).toBe(1);
  });
});
