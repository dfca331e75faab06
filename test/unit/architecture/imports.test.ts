/** The layer order and import rules of src/ hold; see import-rules.ts for the rules themselves. */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { folderCycles, importViolations, readSources } from './import-rules.js';

const src = fileURLToPath(new URL('../../../src', import.meta.url));

describe('import rules', () => {
  it('src/ has no folder cycle, no upward import and no misplaced I/O', () => {
    expect(importViolations(readSources(src))).toEqual([]);
  });

  it('catches each kind of violation', () => {
    const problems = importViolations([
      { path: 'plan/a.ts', text: "import { x } from '../app/b.js';\nimport fs from 'node:fs';" },
      { path: 'plan/b.ts', text: 'export const cwd = process.cwd();' },
      { path: 'app/b.ts', text: "import { spawn } from 'node:child_process';" },
      { path: 'ports/c.ts', text: "import yargs from 'yargs';\nprocess.stdout.write('hi');" },
      { path: 'app/e.ts', text: "delete process.env.X;\nprocess.env.Y = '1';\nprocess.argv;" },
      {
        path: 'output/d.ts',
        text: "// process.stdout.write('in a comment')\nprocess.stderr.write('ok');",
      },
    ]);
    expect(
      problems.some((p) =>
        p.startsWith('plan/a.ts: imports ../app/b.js: plan/ may not import app/'),
      ),
    ).toBe(true);
    expect(problems).toContain('plan/a.ts: imports node:fs: plan/ is pure (no node:* modules)');
    expect(problems).toContain('plan/b.ts: uses the process global: plan/ is pure');
    expect(problems).toContain('app/b.ts: imports node:child_process: only process/ may');
    expect(problems).toContain('ports/c.ts: imports yargs: only cli/ may');
    expect(problems).toContain(
      'ports/c.ts: writes to process.stdout/stderr: only cli/ and output/ may',
    );
    expect(problems.filter((p) => p.startsWith('output/'))).toEqual([]);
    expect(problems.filter((p) => p.startsWith('app/e.ts'))).toEqual([
      'app/e.ts: reads process.argv: only cli/ may',
      'app/e.ts: changes process.env: nothing may',
    ]);
  });

  it('finds folder cycles', () => {
    const edges = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a'])],
      ['d', new Set(['a'])],
    ]);
    expect(folderCycles(edges)).toEqual([['a', 'b', 'c', 'a']]);
  });
});
