/** Settings of injected names that devlaunch overrides: found once, with source and fix. */
import { describe, expect, it } from 'vitest';
import { describeOverride, findOverrides } from '../../../src/env/overrides.js';

const base = {
  injected: {
    BACKEND_PORT: '8000',
    BACKEND_URL: 'http://localhost:8000',
    BACKEND_HOST: 'localhost',
  },
  portOwners: new Map<string, [string, string]>([['BACKEND_PORT', ['backend', 'primary']]]),
  referenced: () => false,
};

describe('findOverrides', () => {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the manifest syntax itself
  it('reports a dotenv value devlaunch overrides, with the port: ${...} fix', () => {
    const found = findOverrides({
      ...base,
      sources: [{ label: '.env', vars: { BACKEND_PORT: '8081', OTHER: 'x' } }],
    });
    expect(found).toHaveLength(1);
    expect(describeOverride(found[0]!)).toBe(
      'BACKEND_PORT=8081 in .env is overridden: devlaunch sets BACKEND_PORT=8000',
    );
    expect(found[0]!.fix).toMatch(
      /port: \$\{BACKEND_PORT\} \(or \$\{BACKEND_PORT:-8000\}\) for backend/,
    );
  });

  it('says nothing when the value agrees', () => {
    expect(
      findOverrides({ ...base, sources: [{ label: '.env', vars: { BACKEND_PORT: '8000' } }] }),
    ).toEqual([]);
  });

  it('reports each name once, from the source that wins (the shell)', () => {
    const found = findOverrides({
      ...base,
      sources: [
        { label: '.env', vars: { BACKEND_PORT: '8081' } },
        { label: 'the environment', vars: { BACKEND_PORT: '8082' } },
      ],
    });
    expect(found.map((o) => [o.value, o.source])).toEqual([['8082', 'the environment']]);
  });

  it('suggests no fix for a URL, or a name the manifest already uses', () => {
    const url = findOverrides({
      ...base,
      sources: [{ label: '.env', vars: { BACKEND_URL: 'http://api.test' } }],
    });
    expect(url[0]?.fix).toBeNull();
    const used = findOverrides({
      ...base,
      referenced: (n) => n === 'BACKEND_PORT',
      sources: [{ label: '.env', vars: { BACKEND_PORT: '8081' } }],
    });
    expect(used[0]?.fix).toBeNull();
  });
});
