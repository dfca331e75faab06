import { describe, expect, it } from 'vitest';
import { renderTable, stripAnsi, visibleWidth } from '../../../src/output/table.js';

describe('renderTable', () => {
  it('aligns columns with two spaces, without trailing spaces', () => {
    const table = renderTable(
      ['SERVICE', 'URL', 'PID'],
      [
        ['api', 'http://localhost:8000', '123'],
        ['frontend', '-', '45678'],
      ],
    );
    expect(table.split('\n')).toEqual([
      'SERVICE   URL                    PID',
      'api       http://localhost:8000  123',
      'frontend  -                      45678',
    ]);
  });

  it('measures coloured cells without their escape codes', () => {
    const bold = (s: string) => `\u001b[1m${s}\u001b[22m`;
    const table = renderTable([bold('A'), bold('B')], [['long cell', 'x']]);
    const lines = stripAnsi(table).split('\n');
    expect(lines).toEqual(['A          B', 'long cell  x']);
  });

  it('fills missing cells and handles no rows', () => {
    expect(renderTable(['A', 'B'], [['only']])).toBe('A     B\nonly');
    expect(renderTable(['NAME'], [])).toBe('NAME');
  });

  it('counts characters, not bytes or escape codes', () => {
    expect(visibleWidth('日本')).toBe(2);
    expect(visibleWidth('\u001b[36mab\u001b[39m')).toBe(2);
    expect(stripAnsi('\u001b]8;;http://x\u0007link\u001b]8;;\u0007')).toBe('link');
  });
});
