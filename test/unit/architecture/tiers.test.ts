/**
 * The unit tier starts no process: no unit test (or helper beside one) imports child_process or
 * the helpers that start programs, so `npm run test:unit` stays pure and takes seconds. A test
 * that needs a real child belongs in test/integration/ or test/e2e/.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const unitDir = fileURLToPath(new URL('..', import.meta.url));

/** Modules that start processes: Node's own, and the test helpers built on it. */
const STARTERS = [
  /^(node:)?child_process$/,
  /^cross-spawn$/,
  /\/helpers\/(cli|build|processes)\.js$/,
];

/** `path: imports spec` for each import of a process starter in `files`. */
function processStarters(files: { path: string; text: string }[]): string[] {
  const found: string[] = [];
  for (const { path, text } of files) {
    for (const { fileName } of ts.preProcessFile(text, true, true).importedFiles) {
      if (STARTERS.some((re) => re.test(fileName))) found.push(`${path}: imports ${fileName}`);
    }
  }
  return found;
}

function unitSources(dir: string): { path: string; text: string }[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) return unitSources(full);
    if (!entry.name.endsWith('.ts')) return [];
    return [{ path: relative(unitDir, full), text: readFileSync(full, 'utf8') }];
  });
}

describe('test tiers', () => {
  it('no unit test starts a process', () => {
    expect(processStarters(unitSources(unitDir))).toEqual([]);
  });

  it('catches a unit test that would', () => {
    expect(
      processStarters([
        { path: 'a.test.ts', text: "import { spawn } from 'node:child_process';" },
        { path: 'b.test.ts', text: "import { runCli } from '../../helpers/cli.js';" },
        {
          path: 'c.test.ts',
          text: "// import { spawn } from 'node:child_process';\nconst s = 'child_process';",
        },
      ]),
    ).toEqual(['a.test.ts: imports node:child_process', 'b.test.ts: imports ../../helpers/cli.js']);
  });
});
