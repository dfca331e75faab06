/**
 * The import rules of src/ (CONTRIBUTING.md "Folder map"), as data plus a checker, so the test
 * can prove both that the tree obeys them and that a violation is caught.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

/**
 * Folders from the top of the flow to the bottom: a folder may import only folders after it.
 * Files directly in src/ (errors.ts) form the bottom layer every folder may use.
 */
export const LAYERS = [
  'cli', // argv → one use case → render → exit code
  'app', // use cases: the composition roots
  'dashboard', // the session's web page: HTTP handlers, security, event stream
  'control', // the local channel from CLI commands to a running supervisor
  'supervisor', // runs services: state machines, readiness, restarts
  'ports', // facts and actions about ports: probe, holders, ownership, asking
  'output', // everything a person sees: events, reporter, service lines, tables
  'plan', // pure decisions: start order, the launch plan
  'state', // .devlaunch/: paths, session records, lock, atomic writes
  'process', // the OS: spawn, trees, identity, watchdog, signals
  'manifest', // text → Manifest | Diagnostic[]
  'env', // pure environment algebra
  '.', // src/*.ts: the error type
] as const;

/** Modules only the named folder may import. */
const OWNED: { module: RegExp; folder: string }[] = [
  { module: /^(node:)?child_process$/, folder: 'process' },
  { module: /^cross-spawn$/, folder: 'process' },
  { module: /^tree-kill$/, folder: 'process' },
  { module: /^yargs(\/|$)/, folder: 'cli' },
];

/** Folders that may write to the terminal (`process.stdout` / `process.stderr`). */
const PRINTERS = new Set(['cli', 'output']);

/** Programs of their own (run as a separate process): their stderr is nobody else's. */
const ENTRY_POINTS = new Set(['process/win-launcher.ts', 'process/watchdog-main.ts']);

/** Folders that must stay pure: no node:* module, no `process` global. */
const PURE = new Set(['plan']);

export interface SourceFile {
  /** Path relative to src/, with `/` separators. */
  path: string;
  text: string;
}

export function readSources(srcDir: string): SourceFile[] {
  const out: SourceFile[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts')) {
        out.push({
          path: relative(srcDir, full).split(sep).join('/'),
          text: readFileSync(full, 'utf8'),
        });
      }
    }
  };
  walk(srcDir);
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

/** The folder of a path relative to src/: its first segment, or `.` for src/*.ts. */
export function folderOf(path: string): string {
  const i = path.indexOf('/');
  return i === -1 ? '.' : path.slice(0, i);
}

/** Module specifiers of every import, export-from and dynamic import() (comments ignored). */
function importsOf(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
}

/** Uses of the `process` global, found in the syntax tree (so not in comments or strings). */
function processUses(path: string, text: string): ProcessUses {
  const uses = { any: false, terminal: false, argv: false, envWrite: false };
  if (!/\bprocess\s*\./.test(text)) return uses;
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, false);
  const isProcessEnv = (node: ts.Node) =>
    ts.isPropertyAccessExpression(node) &&
    ts.isIdentifier(node.expression) &&
    node.expression.text === 'process' &&
    node.name.text === 'env';
  const isEnvMember = (node: ts.Node) =>
    (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) &&
    isProcessEnv(node.expression);
  const visit = (node: ts.Node) => {
    if (
      (ts.isBinaryExpression(node) &&
        node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
        node.operatorToken.kind <= ts.SyntaxKind.LastAssignment &&
        (isEnvMember(node.left) || isProcessEnv(node.left))) ||
      (ts.isDeleteExpression(node) && isEnvMember(node.expression))
    ) {
      uses.envWrite = true;
    }
    if (
      ts.isPropertyAccessExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === 'process'
    ) {
      uses.any = true;
      if (node.name.text === 'stdout' || node.name.text === 'stderr') uses.terminal = true;
      if (node.name.text === 'argv') uses.argv = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return uses;
}

interface ProcessUses {
  /** Any `process.x`. */
  any: boolean;
  /** `process.stdout` / `process.stderr`. */
  terminal: boolean;
  argv: boolean;
  /** An assignment to, or `delete` of, `process.env` or one of its variables. */
  envWrite: boolean;
}

const isBuiltin = (spec: string) =>
  spec.startsWith('node:') || ['fs', 'path', 'os', 'child_process', 'net', 'crypto'].includes(spec);

/** Every broken rule, one line each; empty when the tree obeys them. */
export function importViolations(files: SourceFile[]): string[] {
  const problems: string[] = [];
  const rank = new Map<string, number>(LAYERS.map((l, i) => [l, i]));
  const edges = new Map<string, Set<string>>();
  for (const file of files) {
    const from = folderOf(file.path);
    const fromRank = rank.get(from);
    if (fromRank === undefined) {
      problems.push(
        `${file.path}: folder ${from}/ is not in the layer order (import-rules.ts LAYERS)`,
      );
      continue;
    }
    for (const spec of importsOf(file.text)) {
      if (spec.startsWith('.')) {
        const target = relative('/src', resolve('/src', dirname(file.path), spec))
          .split(sep)
          .join('/');
        const to = folderOf(target);
        if (to === from) continue;
        if (!edges.has(from)) edges.set(from, new Set());
        edges.get(from)?.add(to);
        const toRank = rank.get(to);
        if (toRank === undefined || toRank < fromRank) {
          problems.push(`${file.path}: imports ${spec}: ${from}/ may not import ${to}/ (upward)`);
        }
        continue;
      }
      for (const rule of OWNED) {
        if (rule.module.test(spec) && from !== rule.folder) {
          problems.push(`${file.path}: imports ${spec}: only ${rule.folder}/ may`);
        }
      }
      if (PURE.has(from) && isBuiltin(spec)) {
        problems.push(`${file.path}: imports ${spec}: ${from}/ is pure (no node:* modules)`);
      }
    }
    const uses = processUses(file.path, file.text);
    if (PURE.has(from) && uses.any) {
      problems.push(`${file.path}: uses the process global: ${from}/ is pure`);
    }
    if (uses.terminal && !PRINTERS.has(from) && !ENTRY_POINTS.has(file.path)) {
      problems.push(`${file.path}: writes to process.stdout/stderr: only cli/ and output/ may`);
    }
    if (uses.argv && from !== 'cli' && !ENTRY_POINTS.has(file.path)) {
      problems.push(`${file.path}: reads process.argv: only cli/ may`);
    }
    if (uses.envWrite) problems.push(`${file.path}: changes process.env: nothing may`);
  }
  for (const cycle of folderCycles(edges)) problems.push(`folder cycle: ${cycle.join(' -> ')}`);
  return problems;
}

/** Each elementary cycle found by a depth-first walk of the folder graph, e.g. [a, b, a]. */
export function folderCycles(edges: Map<string, Set<string>>): string[][] {
  const cycles: string[][] = [];
  const seen = new Set<string>();
  const visit = (node: string, stack: string[]) => {
    const at = stack.indexOf(node);
    if (at !== -1) {
      const cycle = [...stack.slice(at), node];
      const key = [...cycle.slice(0, -1)].sort().join(',');
      if (!seen.has(key)) {
        seen.add(key);
        cycles.push(cycle);
      }
      return;
    }
    for (const next of edges.get(node) ?? []) visit(next, [...stack, node]);
  };
  for (const node of edges.keys()) visit(node, []);
  return cycles;
}
