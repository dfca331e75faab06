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

describe('findOverrides: PORT and HOST, which each service gets its own of', () => {
  const own = {
    web: { PORT: '62683', HOST: 'localhost' },
    job: { HOST: 'localhost' },
  };

  it('reports PORT from the shell once, naming the services it does not reach', () => {
    const found = findOverrides({
      ...base,
      own,
      sources: [{ label: 'the environment', vars: { PORT: '5555' } }],
    });
    expect(found).toHaveLength(1);
    expect(describeOverride(found[0]!)).toBe(
      'PORT=5555 in the environment is overridden: devlaunch gives each service its own PORT (web 62683)',
    );
    // One service with a port: it can take the value.
    expect(found[0]!.fix).toMatch(/port: \$\{PORT\} \(or \$\{PORT:-62683\}\) for web/);
  });

  it('reports HOST from a dotenv file, with how to change it', () => {
    const found = findOverrides({
      ...base,
      own,
      sources: [{ label: '.env', vars: { HOST: 'example.org' } }],
    });
    expect(describeOverride(found[0]!)).toBe(
      'HOST=example.org in .env is overridden: devlaunch gives each service its own HOST (web localhost, job localhost)',
    );
    expect(found[0]!.fix).toMatch(/host:/);
  });

  it('says nothing where no service gets another value, or the file reaches none that does', () => {
    // job has no port: the PORT of its own env_file reaches it unchanged.
    expect(
      findOverrides({
        ...base,
        own,
        sources: [{ label: 'job.env', vars: { PORT: '1234' }, services: new Set(['job']) }],
      }),
    ).toEqual([]);
    expect(
      findOverrides({ ...base, own, sources: [{ label: '.env', vars: { HOST: 'localhost' } }] }),
    ).toEqual([]);
  });

  it('counts the services past five', () => {
    const many = Object.fromEntries(
      Array.from({ length: 8 }, (_, i) => [`s${i}`, { PORT: String(8000 + i), HOST: 'localhost' }]),
    );
    const found = findOverrides({
      ...base,
      own: many,
      sources: [{ label: '.env', vars: { PORT: '3000' } }],
    });
    expect(describeOverride(found[0]!)).toBe(
      'PORT=3000 in .env is overridden: devlaunch gives each service its own PORT (s0 8000, s1 8001, s2 8002, s3 8003, s4 8004, 3 more)',
    );
    expect(found[0]!.fix).toBeNull();
  });
});
