// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests are about ${} syntax
import { describe, expect, it } from 'vitest';
import { expand } from '../../../src/env/expand.js';

const vars: Record<string, string> = { A: 'a', EMPTY: '', PORT: '8000', lower: 'l' };
const lookup = (name: string) => (Object.hasOwn(vars, name) ? vars[name] : undefined);
const value = (t: string) => expand(t, lookup).value;

describe('expand', () => {
  it('replaces ${VAR} with its value', () => {
    expect(value('http://localhost:${PORT}/x')).toBe('http://localhost:8000/x');
    expect(value('${A}${A}-${lower}')).toBe('aa-l');
  });

  it('leaves text without references alone', () => {
    expect(expand('plain text', lookup)).toEqual({ value: 'plain text', missing: [], invalid: [] });
  });

  it('gives an empty value as it is, with no report', () => {
    expect(expand('[${EMPTY}]', lookup)).toEqual({ value: '[]', missing: [], invalid: [] });
  });

  it('reports a name without a value as missing, once, and expands it to nothing', () => {
    expect(expand('${NOPE}:${NOPE}:${A}:${OTHER}', lookup)).toEqual({
      value: '::a:',
      missing: ['NOPE', 'OTHER'],
      invalid: [],
    });
  });

  it('uses ${VAR:-default} when the variable is unset or empty', () => {
    expect(value('${NOPE:-x}')).toBe('x');
    expect(value('${EMPTY:-x}')).toBe('x');
    expect(value('${A:-x}')).toBe('a');
    expect(value('${NOPE:-}')).toBe('');
  });

  it('uses ${VAR-default} only when the variable is unset', () => {
    expect(value('${NOPE-x}')).toBe('x');
    expect(value('${EMPTY-x}')).toBe('');
    expect(value('${A-x}')).toBe('a');
    // As in sh: not a name with a dash, but `auth` with the default `api`.
    expect(value('${auth-api}')).toBe('api');
  });

  it('expands references inside a default', () => {
    expect(value('${NOPE:-http://h:${PORT}}')).toBe('http://h:8000');
    expect(value('${NOPE:-${ALSO:-deep}}')).toBe('deep');
    expect(expand('${NOPE:-${MISSING}}', lookup).missing).toEqual(['MISSING']);
  });

  it('does not report what an unused default lacks', () => {
    expect(expand('${A:-${MISSING}}', lookup)).toEqual({ value: 'a', missing: [], invalid: [] });
  });

  it('keeps a default with spaces, colons and dashes', () => {
    expect(value('${NOPE:-a b:c-d}')).toBe('a b:c-d');
  });

  it('turns $$ into a literal $', () => {
    expect(value('$$')).toBe('$');
    expect(value('cost: $$5')).toBe('cost: $5');
    expect(value('$${A}')).toBe('${A}');
    expect(value('$$$${A}')).toBe('$${A}');
    expect(value('$$${A}')).toBe('$a');
    expect(value('${NOPE:-$$}')).toBe('$');
  });

  it('leaves a bare $VAR and a lone $ as written', () => {
    expect(expand('$A $HOME $ end$', lookup)).toEqual({
      value: '$A $HOME $ end$',
      missing: [],
      invalid: [],
    });
  });

  it('reports invalid references and keeps them as written', () => {
    expect(expand('x${}y', lookup)).toEqual({ value: 'x${}y', missing: [], invalid: ['${}'] });
    expect(expand('${1A}', lookup).invalid).toEqual(['${1A}']);
    expect(expand('${A:?err}', lookup).invalid).toEqual(['${A:?err}']);
    expect(expand('${A B}', lookup).invalid).toEqual(['${A B}']);
  });

  it('reports an unterminated reference', () => {
    expect(expand('a ${PORT', lookup)).toEqual({
      value: 'a ${PORT',
      missing: [],
      invalid: ['${PORT'],
    });
    expect(expand('${NOPE:-x', lookup).invalid).toEqual(['${NOPE:-x']);
  });
});
