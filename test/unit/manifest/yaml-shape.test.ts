/**
 * YAML the parser accepts but a manifest cannot hold (src/manifest/yaml-shape.ts): each is one
 * located problem, never a stack overflow, a parser warning on stderr or a silently changed value.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { excerpt, formatDiagnostics, formatPath } from '../../../src/manifest/format.js';
import { validateManifest } from '../../../src/manifest/validate.js';
import { MAX_ALIASED_VALUES } from '../../../src/manifest/yaml-shape.js';
import { cleanProjects, problems, valid, yaml } from './helpers.js';

afterAll(cleanProjects);

/** Every warning Node would print (process.emitWarning) or the parser would log. */
const warnings: unknown[] = [];
beforeEach(() => {
  warnings.length = 0;
  vi.spyOn(process, 'emitWarning').mockImplementation((w: unknown) => void warnings.push(w));
  vi.spyOn(console, 'warn').mockImplementation((w: unknown) => void warnings.push(w));
});
afterEach(() => {
  vi.restoreAllMocks();
  expect(warnings).toEqual([]);
});

const SERVICE = 'services:\n  a:\n    command: x\n';

/** The one problem of `text`: its position, path and message. */
function only(text: string) {
  const found = problems(text);
  expect(found).toHaveLength(1);
  const [d] = found;
  return { ...d, at: `${d?.line}:${d?.column}`, path: formatPath(d?.path ?? []) };
}

describe('aliases', () => {
  it('an alias inside its own anchor is one error at the alias, not a stack overflow', () => {
    const d = only('services: &s\n  a:\n    command: x\n    more: *s\n');
    expect(d.at).toBe('4:11');
    expect(d.path).toBe('services.a.more');
    expect(d.message).toContain('*s is inside the value &s marks');
    expect(d.hint).toContain('cannot include itself');
  });

  it('so is a cycle through a merge key, in YAML 1.2 and in YAML 1.1 where << merges', () => {
    const text = 'services:\n  a: &a\n    command: x\n    <<: *a\n';
    expect(only(text)).toMatchObject({ at: '4:9', path: 'services.a.<<' });
    expect(only(`%YAML 1.1\n---\n${text}`)).toMatchObject({ at: '6:9', path: 'services.a.<<' });
  });

  it('and a list that contains itself, in flow style', () => {
    expect(only(`x: &x [1, [2, *x]]\n${SERVICE}`.replace('x: ', 'name: '))).toMatchObject({
      at: '1:18',
      path: 'name[1][1]',
    });
  });

  it('in YAML 1.1, << of something other than maps is one error at it', () => {
    for (const [value, at] of [
      ['1', '7:9'],
      ['[1]', '7:9'],
      ['*c', '7:9'],
    ]) {
      const d = only(`%YAML 1.1\n---\nname: &c c\n${SERVICE}    <<: ${value}\n`);
      expect(d).toMatchObject({ at, path: 'services.a.<<' });
      expect(d.message).toContain('<< merges maps');
    }
    const merged = valid(
      `%YAML 1.1\n---\nservices:\n  a: &a {command: x, env: {A: '1'}}\n  b:\n    <<: [*a]\n    command: run\n`,
    );
    expect(merged.services.b?.env).toEqual({ A: '1' });
  });

  it('an alias with no anchor before it names the anchor to add', () => {
    const d = only(`${SERVICE}    env: {A: *later}\nname: &later p\n`);
    expect(d).toMatchObject({ at: '4:14', path: 'services.a.env.A' });
    expect(d.message).toBe('*later refers to no anchor &later above it');
  });

  it('an alias bomb is refused at the alias that crosses the limit, before it is expanded', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (const name of 'bcdefghi') {
      const prev = levels.length === 1 ? 'a' : String.fromCharCode(name.charCodeAt(0) - 1);
      levels.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(', ')}]`);
    }
    const started = process.cpuUsage();
    const d = only(`${levels.join('\n')}\n${SERVICE}`);
    expect(d.message).toContain(`more than ${MAX_ALIASED_VALUES} values`);
    expect(d.line).toBeLessThanOrEqual(5); // 10^4 values are reached by the fifth level
    const used = process.cpuUsage(started);
    expect(used.user + used.system).toBeLessThan(5_000_000); // nothing was expanded
  });

  it('aliases used as a manifest uses them stay valid', () => {
    const manifest = valid(
      yaml(`
        services:
          a: &base
            command: x
            env: &env {A: '1'}
          b:
            command: y
            env: *env
          c: *base
      `),
    );
    expect(manifest.services.b?.env).toEqual({ A: '1' });
    expect(manifest.services.c?.command).toBe('x');
  });
});

describe('keys', () => {
  it.each([
    [
      'a flow list as a complex key',
      `${SERVICE}  ? [a, b]\n  : 1\n`,
      '4:5',
      'a list cannot be a key',
      '[a, b]',
    ],
    ['a flow map as a key', 'services:\n  {a: 1}: x\n', '2:3', 'a map cannot be a key', '{a: 1}'],
    ['a key in a flow map', 'services: {[a]: x}\n', '1:12', 'a list cannot be a key', '[a]'],
    [
      'an alias of a map as a key',
      `name: &m {a: 1}\n${SERVICE}  *m : y\n`,
      '5:3',
      'an alias of a list or map cannot be a key',
      '*m',
    ],
  ])('%s is one error at the key', (_name, text, at, message, found) => {
    const d = only(text);
    expect(d).toMatchObject({ at, path: 'services', found });
    expect(d.message).toContain(message);
  });

  it.each([
    ['{a: 1}', 'a map'],
    ['[a, b]', 'a list'],
  ])(
    '%s as a key after other keys (where the parser itself fails) is the same error',
    (key, kind) => {
      const d = only(`${SERVICE}  ${key}: x\n`);
      expect(d).toMatchObject({
        at: '4:3',
        path: 'services',
        message: `${kind} cannot be a key: keys are names`,
      });
      expect(d.hint).toContain('plain name');
    },
  );

  it.each([
    ['1 and "1"', `${SERVICE}  1:\n    command: y\n  "1":\n    command: z\n`, '6:3', 'services.1'],
    ['true and "true"', `${SERVICE}    env: {true: a, "true": b}\n`, '4:20', 'services.a.env.true'],
    ['~ and ""', `${SERVICE}    env: {~: a, "": b}\n`, '4:17', 'services.a.env.""'],
    [
      'an alias of a key',
      `name: &k A\n${SERVICE}    env: {A: a, *k : b}\n`,
      '5:17',
      'services.a.env.A',
    ],
  ])(
    'keys written differently that read the same (%s) are an error, not one lost',
    (_n, text, at, path) => {
      const d = only(text);
      expect(d).toMatchObject({ at, path });
      expect(d.message).toContain('one would replace the other');
    },
  );

  it('an empty key is pointed at where it is written', () => {
    expect(only('services:\n  a:\n    command: x\n  ~:\n    command: y\n')).toMatchObject({
      at: '4:3',
      path: 'services.""',
    });
  });
});

describe('tags and values that are not plain data', () => {
  it.each([
    ['!!set', 'services: !!set\n  a:\n', '1:11'],
    ['!!omap', 'services: !!omap\n  - a: {command: x}\n', '1:11'],
    ['!!binary', `${SERVICE}    env: {A: !!binary aGk=}\n`, '4:14'],
    ['!!timestamp', `${SERVICE}    env: {A: !!timestamp 2001-01-01}\n`, '4:14'],
    ['!env', `${SERVICE}    cwd: !env HOME\n`, '4:10'],
  ])('%s is refused at the tag', (tag, text, at) => {
    const d = only(text);
    expect(d).toMatchObject({ at, found: tag });
    expect(d.hint).toBe(`remove ${tag}`);
  });

  it('plain tags are fine', () => {
    const manifest = valid(`${SERVICE}    env: !!map {A: !!str 1, B: !!int 2}\n`);
    expect(manifest.services.a?.env).toEqual({ A: '1', B: '2' });
  });

  it('a YAML 1.1 date is refused with the quoting that keeps it text', () => {
    const d = only(`%YAML 1.1\n---\n${SERVICE}    env: {DAY: 2001-01-01}\n`);
    expect(d).toMatchObject({ at: '6:16', path: 'services.a.env.DAY' });
    expect(d.message).toContain('a date');
    expect(d.hint).toContain('"2001-01-01"');
  });

  it('a NUL character is refused, and printed visibly', () => {
    const text = `${SERVICE.replace('x\n', '"x\0y"\n')}`;
    const d = only(text);
    expect(d).toMatchObject({ at: '3:14', path: 'services.a.command', found: '"x\\u0000y"' });
    expect(formatDiagnostics(problems(text), text, false)).toContain('command: "x␀y"');
  });
});

describe('documents the parser refuses', () => {
  it('a second document says so, without naming the parser API', () => {
    const d = only(`${SERVICE}---\n${SERVICE}`);
    expect(d).toMatchObject({ at: '4:1' });
    expect(d.message).toContain('second YAML document');
    expect(d.message).not.toContain('parseAllDocuments');
  });

  it.each([
    ['flow lists', (n: number) => `services: ${'['.repeat(n)}${']'.repeat(n)}\n`],
    ['unclosed flow lists', (n: number) => `services: ${'['.repeat(n)}\n`],
    [
      'block lists',
      (n: number) =>
        `services:\n${Array.from({ length: n }, (_, i) => `${' '.repeat(i + 1)}- `).join('\n')}x\n`,
    ],
    ['flow maps', (n: number) => `services: ${'{a: '.repeat(n)}1${'}'.repeat(n)}\n`],
  ])('nesting %s to any depth gives a few errors, never a throw', (_name, make) => {
    for (const depth of [10, 100, 500, 1000, 3000]) {
      const text = make(depth);
      const result = validateManifest(text, { file: '/nowhere/launcher.yaml', env: {} });
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      expect(result.diagnostics.length).toBeLessThanOrEqual(3);
      const printed = formatDiagnostics(result.diagnostics, text, false);
      // Every printed source line is cut to a window around the spot.
      for (const line of printed.split('\n')) expect(line.length).toBeLessThan(200);
    }
  });
});

describe('printing a source line', () => {
  it('cuts a long line around the column and keeps the caret under it', () => {
    const source = `${'a'.repeat(500)}X${'b'.repeat(500)}`;
    const { shown, column } = excerpt(source, 501);
    expect(shown.length).toBeLessThanOrEqual(122);
    expect(shown[column - 1]).toBe('X');
    expect(shown.startsWith('…') && shown.endsWith('…')).toBe(true);
  });

  it('keeps a short line as it is, tabs as spaces and control characters visible', () => {
    expect(excerpt('a\tb\u0001', 3)).toEqual({ shown: 'a b␁', column: 3 });
  });
});
