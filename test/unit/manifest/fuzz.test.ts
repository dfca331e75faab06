/**
 * Property: whatever the bytes, reading a manifest gives a Manifest or devlaunch's own located
 * diagnostics. It never throws, never prints a warning of the parser's, and every diagnostic
 * names the file and a line and column inside it. Inputs are generated from a fixed seed
 * (reproducible; the failing case is printed), from YAML's awkward corners: anchors and aliases
 * (cycles, bombs), complex and non-string keys, tags, tabs, CR LF, a BOM, NUL, deep nesting,
 * several documents, directives, and byte-level damage to a valid manifest.
 * A longer search, by hand: FUZZ_SEED=7 FUZZ_CASES=5000 npx vitest run test/unit/manifest/fuzz
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { formatDiagnostics } from '../../../src/manifest/format.js';
import { readManifest } from '../../../src/manifest/index.js';
import { validateManifest } from '../../../src/manifest/validate.js';
import { cleanProjects, project } from './helpers.js';

afterAll(cleanProjects);

const SEED = Number(process.env.FUZZ_SEED ?? 0);
const CASES = Number(process.env.FUZZ_CASES ?? 200);

const warnings: unknown[] = [];
beforeEach(() => {
  warnings.length = 0;
  vi.spyOn(process, 'emitWarning').mockImplementation((w: unknown) => void warnings.push(w));
  vi.spyOn(console, 'warn').mockImplementation((w: unknown) => void warnings.push(w));
});
afterEach(() => vi.restoreAllMocks());

/** mulberry32: a small, well-known seeded generator. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KEYS = [
  'services',
  'a',
  'web',
  'command',
  'port',
  'ports',
  'env',
  'env_file',
  'depends_on',
  'ready',
  'cwd',
  '__proto__',
  'constructor',
  '<<',
  '1',
  'true',
  '~',
  '"q"',
  "'s p'",
  'é',
  '0x10',
];
const SCALARS = [
  'x',
  'node s.js',
  '8000',
  'auto',
  '0',
  '-1',
  '70000',
  '.inf',
  'null',
  '~',
  'true',
  '"a\\tb"',
  "'it''s'",
  `\${PORT}`,
  `\${NOPE}`,
  '2001-01-01',
  '1e3',
  '0o17',
  '"\\0"',
  '|\n  block',
  '""',
];
const TAGS = [
  '!!str',
  '!!int',
  '!!map',
  '!!seq',
  '!!set',
  '!!omap',
  '!!binary',
  '!!timestamp',
  '!x',
  '!',
];

function generate(next: () => number): string {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const anchors: string[] = [];
  const props = () => {
    let out = '';
    if (next() < 0.12) {
      const name = pick(['a', 'b', 's']);
      anchors.push(name);
      out += `&${name} `;
    }
    if (next() < 0.08) out += `${pick(TAGS)} `;
    return out;
  };
  const alias = () => `*${anchors.length > 0 && next() < 0.9 ? pick(anchors) : pick(['a', 'zz'])}`;
  const flow = (depth: number): string => {
    const r = next();
    if (depth > 4 || r < 0.45)
      return r < 0.1 && anchors.length > 0
        ? alias()
        : `${props()}${pick(SCALARS).replace('\n', ' ')}`;
    const items = Array.from({ length: Math.floor(next() * 4) }, () => flow(depth + 1));
    if (r < 0.7) return `${props()}[${items.join(', ')}]`;
    const pairs = items.map((v) => `${next() < 0.1 ? flow(depth + 1) : pick(KEYS)}: ${v}`);
    return `${props()}{${pairs.join(', ')}}`;
  };
  const block = (indent: number, depth: number): string[] => {
    const pad = next() < 0.03 ? '\t'.repeat(indent / 2) : ' '.repeat(indent);
    const lines: string[] = [];
    for (let i = 0, n = 1 + Math.floor(next() * 4); i < n; i++) {
      const key = next() < 0.06 ? `? ${flow(3)}\n${pad}:` : `${pick(KEYS)}:`;
      const r = next();
      if (depth < 6 && r < 0.35) {
        lines.push(
          `${pad}${key}${next() < 0.2 ? ` ${props()}`.trimEnd() : ''}`,
          ...block(indent + 2, depth + 1),
        );
      } else if (depth < 6 && r < 0.45) {
        lines.push(`${pad}${key}`);
        for (let j = 0; j < 1 + next() * 3; j++) lines.push(`${pad}  - ${flow(2)}`);
      } else if (r < 0.55 && anchors.length > 0) {
        lines.push(`${pad}${key} ${alias()}`);
      } else {
        lines.push(`${pad}${key} ${flow(1)}`);
      }
    }
    return lines;
  };
  let text = block(0, 0).join('\n');
  const extra = next();
  if (extra < 0.05) text = `%YAML 1.1\n---\n${text}`;
  else if (extra < 0.08) text = `${text}\n---\n${text}`;
  else if (extra < 0.11) text = `\ufeff${text}`;
  else if (extra < 0.14) text = text.replace(/\n/g, '\r\n');
  else if (extra < 0.16) text = `services: ${'['.repeat(50 + Math.floor(next() * 250))}`;
  return `${text}\n`;
}

/** A valid manifest with some characters replaced, inserted or removed. */
function damage(next: () => number, base: string): string {
  const chars = ':-[]{},&*!|>\'"#%@`\t\n\r ?<\0é';
  let text = base;
  for (let i = 0, n = 1 + Math.floor(next() * 5); i < n; i++) {
    const at = Math.floor(next() * text.length);
    const c = chars[Math.floor(next() * chars.length)] ?? ' ';
    const op = next();
    text = text.slice(0, at) + (op < 0.4 ? c : op < 0.8 ? c + text[at] : '') + text.slice(at + 1);
  }
  return text;
}

const BASE = `name: shop\nenv_file: .env\nservices:\n  api:\n    command: [node, api.js]\n    port: \${API_PORT:-8000}\n    env: &env {A: "1"}\n    ready: {http: /health}\n  web:\n    env: *env\n    command: 'npm run dev'\n    depends_on: {api: ready}\n`;

function check(text: string, file: string, label: string): void {
  let result: ReturnType<typeof validateManifest>;
  try {
    result = validateManifest(text, { file, env: {} });
  } catch (error) {
    throw new Error(`${label} threw ${String(error)} for:\n${JSON.stringify(text)}`);
  }
  if (result.ok) {
    expect(() => JSON.stringify(result.manifest), label).not.toThrow();
  } else {
    const lines = text.split(/\r?\n/).length;
    expect(result.diagnostics.length, label).toBeGreaterThan(0);
    // Checked in plain code, one expect for all: a case may have hundreds of diagnostics.
    const misplaced = result.diagnostics.filter(
      (d) =>
        d.file !== file ||
        !(d.line >= 1 && d.line <= lines && d.column >= 1) ||
        typeof d.message !== 'string' ||
        d.message === '',
    );
    expect(misplaced, label).toEqual([]);
    expect(() => formatDiagnostics(result.diagnostics, text, true), label).not.toThrow();
  }
  expect(warnings, `${label} warned for:\n${JSON.stringify(text)}`).toEqual([]);
}

describe('any manifest text', () => {
  const root = project({ '.env': 'API_PORT=8100\n', 'sub/': '' });
  const file = join(root, 'launcher.yaml');

  it('generated YAML: a Manifest or located diagnostics, nothing else', () => {
    const next = random(0x5eed + SEED);
    for (let i = 0; i < CASES; i++) check(generate(next), file, `generated #${i}`);
  });

  it('a damaged valid manifest: the same', () => {
    const next = random(0xbad + SEED);
    expect(validateManifest(BASE, { file, env: {} }).ok).toBe(true);
    for (let i = 0; i < CASES; i++) check(damage(next, BASE), file, `damaged #${i}`);
  });

  it('damaged bytes read from disk: the same, through readManifest', () => {
    const next = random(0xb17e + SEED);
    const bytes = Buffer.from(BASE);
    for (let i = 0; i < CASES / 4; i++) {
      const copy = Buffer.from(bytes);
      for (let j = 0; j < 3; j++) copy[Math.floor(next() * copy.length)] = Math.floor(next() * 256);
      writeFileSync(file, copy);
      let read: ReturnType<typeof readManifest>;
      try {
        read = readManifest({ cwd: root, env: {} });
      } catch (error) {
        throw new Error(`bytes #${i} threw ${String(error)}: ${copy.toString('hex')}`);
      }
      if (!read.ok) {
        for (const d of read.diagnostics) expect(d.line, `bytes #${i}`).toBeGreaterThanOrEqual(1);
      }
      expect(warnings, `bytes #${i}`).toEqual([]);
    }
  });
});
