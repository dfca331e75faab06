/**
 * The exact printed form of representative diagnostics (colour off). Regenerate the expected
 * files after an intended change with: UPDATE_GOLDEN=1 npx vitest run test/unit/manifest/golden
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostics } from '../../../src/manifest/format.js';
import { validateManifest } from '../../../src/manifest/validate.js';

const dir = resolve(import.meta.dirname, 'fixtures');
// Inputs are .txt, not .yaml, so formatters leave broken manifests as they are.
const fixtures = readdirSync(dir).filter((f) => f.endsWith('.input.txt'));

describe('formatted diagnostics', () => {
  it('has fixtures', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(5);
  });

  it.each(fixtures)('%s', (name) => {
    const file = join(dir, name);
    const text = readFileSync(file, 'utf8');
    const result = validateManifest(text, { file, env: {} });
    if (result.ok) throw new Error(`${name} should be invalid`);
    // Printed relative to the current directory: run the tests from the repository root.
    expect(relative(process.cwd(), file).startsWith('..')).toBe(false);
    const output = formatDiagnostics(result.diagnostics, text, false);
    const expectedFile = file.replace(/\.input\.txt$/, '.expected.txt');
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(expectedFile, output);
    expect(output).toBe(readFileSync(expectedFile, 'utf8'));
  });

  it('colours only when asked', () => {
    const file = join(dir, 'cycle.input.txt');
    const text = readFileSync(file, 'utf8');
    const result = validateManifest(text, { file, env: {} });
    if (result.ok) throw new Error('should be invalid');
    expect(formatDiagnostics(result.diagnostics, text, false)).not.toContain('\u001b[');
    expect(formatDiagnostics(result.diagnostics, text, true)).toContain('\u001b[31m');
  });
});
