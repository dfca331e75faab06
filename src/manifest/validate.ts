/**
 * The validation pipeline: YAML text → parse → schema → normalise → rules → Manifest, or every
 * Diagnostic at once. Pure apart from checking that named files exist; never throws.
 */
import { LineCounter } from 'yaml';
import { envProblems } from '../env/check.js';
import type { Diagnostic, Problem } from './diagnostics.js';
import { parseManifestYaml } from './duplicate-keys.js';
import { locate, pathAt } from './locate.js';
import { normalizeManifest } from './normalize.js';
import { expandPortTemplates } from './port-vars.js';
import { hideProtoKeys, restoreProblem, restoreProtoKeys } from './proto-keys.js';
import { repair } from './repair.js';
import { ruleProblems } from './rules/index.js';
import { ManifestSchema } from './schema.js';
import type { Manifest } from './types.js';
import { collectionKey, shapeProblems } from './yaml-shape.js';
import { issuesToProblems } from './zod-issues.js';

export type ValidationResult =
  | { ok: true; manifest: Manifest }
  | { ok: false; diagnostics: Diagnostic[] };

export interface ValidateOptions {
  /** Absolute path of the manifest: the project root is its directory. */
  file: string;
  /** The environment `${VAR}` falls back to. */
  env: Record<string, string | undefined>;
}

const YAML_MESSAGES: Record<string, (message: string) => string | undefined> = {
  DUPLICATE_KEY: () => 'this key is already defined above in the same map',
  MULTIPLE_DOCS: () => 'this --- starts a second YAML document; a manifest is one document',
  RESOURCE_EXHAUSTION: () => 'the YAML nests too deeply to read (lists or maps inside each other)',
  MISSING_CHAR: (message) => {
    const quote = /Missing closing (["'])/.exec(message)?.[1];
    return quote ? `this string (opened with ${quote}) is never closed` : undefined;
  },
};

const YAML_HINTS: Record<string, string> = {
  DUPLICATE_KEY: 'keep one of them: YAML does not merge repeated keys',
  MISSING_CHAR: 'add the closing quote (on the same line for a one-line value)',
  MULTIPLE_DOCS: 'remove this line and what follows it, or merge the two documents into one',
  RESOURCE_EXHAUSTION: 'a manifest needs a few levels; look for [ or { that are never closed',
};

export function validateManifest(text: string, options: ValidateOptions): ValidationResult {
  const { file } = options;
  const lineCounter = new LineCounter();
  const doc = parseManifestYaml(text, lineCounter);

  if (doc.errors.length > 0) {
    const diagnostics = doc.errors.map((error): Diagnostic => {
      const offset = yamlErrorOffset(text, error.code, error.message, error.pos[0]);
      const { line, col } = lineCounter.linePos(offset);
      const duplicate = error.code === 'DUPLICATE_KEY';
      // The parser fails on a `[...]:` or `{...}:` key after other keys of a block map (an
      // internal error of its own); anywhere else such a key is found by yaml-shape.ts.
      const flowKey = error.code === 'IMPOSSIBLE' ? flowKeyAt(text, offset) : undefined;
      if (flowKey !== undefined) {
        const path = pathAt(doc, offset).slice(0, -1); // the map holding the key
        return { file, line, column: col, path, atKey: true, ...collectionKey(flowKey) };
      }
      return {
        file,
        line,
        column: col,
        path: duplicate ? pathAt(doc, offset) : [],
        atKey: duplicate,
        message: YAML_MESSAGES[error.code]?.(error.message) ?? yamlMessage(error.message),
        hint: YAML_HINTS[error.code] ?? 'check indentation (spaces, not tabs), colons, and quotes',
      };
    });
    return { ok: false, diagnostics: unique(diagnostics) };
  }

  const shapes = shapeProblems(doc, text);
  if (shapes.length > 0) {
    const diagnostics = shapes.map(({ offset, ...problem }): Diagnostic => {
      const { line, col } = lineCounter.linePos(offset);
      return { ...problem, file, line, column: col };
    });
    diagnostics.sort((a, b) => a.line - b.line || a.column - b.column);
    return { ok: false, diagnostics };
  }

  const place = (problem: Problem): Diagnostic => ({
    ...problem,
    file,
    ...locate(doc, lineCounter, problem.path, problem.atKey),
  });

  let data: unknown;
  try {
    // Aliases were checked above (yaml-shape.ts): none contains itself and together they add
    // at most MAX_ALIASED_VALUES values; the parser shares one object per anchor.
    data = doc.toJS({ maxAliasCount: -1 });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      diagnostics: [place({ path: [], message: `cannot read the YAML: ${reason}` })],
    };
  }
  if (data === null || data === undefined) {
    const empty: Problem = {
      path: [],
      message: 'the manifest is empty',
      expected: 'a map with at least services:',
      found: 'nothing',
      hint: 'run devlaunch init to write a starter launcher.yaml',
    };
    return { ok: false, diagnostics: [place(empty)] };
  }

  const portProblems = expandPortTemplates(data, file, options.env);
  // `__proto__` keys are hidden from the schema library, which would drop them (proto-keys.ts).
  const hidden = hideProtoKeys(data);
  const parsed = ManifestSchema.safeParse(hidden);
  const found = parsed.success ? [] : issuesToProblems(parsed.error.issues, hidden);
  const raw = parsed.success
    ? parsed.data
    : repair(
        hidden,
        found.map((p) => p.path),
      );
  let problems = [...portProblems, ...found.map(restoreProblem)];
  if (raw !== null) {
    const manifest = normalizeManifest(restoreProtoKeys(raw), file);
    // concat, not push(...): spread arguments overflow the stack past ~10⁵ problems.
    problems = problems.concat(
      ruleProblems(manifest),
      envProblems(withRejectedPorts(manifest, found), options.env),
    );
    if (problems.length === 0) return { ok: true, manifest };
  }
  // Source order, as a compiler prints them; the sort is stable for problems on one spot.
  const diagnostics = problems.map(place).sort((a, b) => a.line - b.line || a.column - b.column);
  return { ok: false, diagnostics };
}

/**
 * A `port:` (or `ports:` entry) with a bad value is reported once, by the schema; for the
 * environment checks the service still has that port, so `${BACKEND_URL}` elsewhere is not a
 * second error about a variable that would exist once the port is fixed.
 */
function withRejectedPorts(manifest: Manifest, found: readonly Problem[]): Manifest {
  let services: Manifest['services'] | null = null;
  for (const { path } of found) {
    const [top, name, key, portName] = path;
    if (top !== 'services' || typeof name !== 'string' || !Object.hasOwn(manifest.services, name))
      continue;
    if (key !== 'port' && !(key === 'ports' && typeof portName === 'string')) continue;
    services ??= { ...manifest.services };
    const service = services[name] as Manifest['services'][string];
    services[name] =
      key === 'port'
        ? { ...service, port: service.port ?? 1 }
        : { ...service, ports: { ...service.ports, [portName as string]: 1 } };
  }
  return services === null ? manifest : { ...manifest, services };
}

/**
 * One diagnostic per line and message: the parser repeats some, once per unclosed `[` or per
 * level of a nesting too deep.
 */
function unique(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.line}:${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** `[` or `{` when a flow list or map used as a key (`[a]: x`) starts at `offset`. */
function flowKeyAt(text: string, offset: number): '[' | '{' | undefined {
  const line = text.slice(offset, text.indexOf('\n', offset) >>> 0);
  const open = line[0];
  return (open === '[' || open === '{') && /[\]}][ \t]*:(?:[ \t]|$)/.test(line) ? open : undefined;
}

/** The parser's message without its own position suffix (the diagnostic has one). */
function yamlMessage(message: string): string {
  const first = message.split('\n')[0] ?? message;
  return first.replace(/ at line \d+, column \d+:?$/, '').trim();
}

/**
 * Where to point for a parser error. The parser reports a missing closing quote at the end of
 * the input and a bad indentation at the start of the line; the opening quote and the first
 * character of the line are what needs fixing.
 */
function yamlErrorOffset(text: string, code: string, message: string, offset: number): number {
  const quote = code === 'MISSING_CHAR' ? /Missing closing (["'])/.exec(message)?.[1] : undefined;
  // An unclosed [ or { is reported where the input ends; its opening is what needs fixing.
  const bracket = { ']': '[', '}': '{' }[/end with an? ([\]}])/.exec(message)?.[1] ?? ''];
  const opener = quote ?? bracket;
  if (opener !== undefined) {
    const open = text.lastIndexOf(opener, offset - 1);
    if (open >= 0) return open;
  }
  if (offset === 0 || text[offset - 1] === '\n') {
    const indent = /^[ \t]*/.exec(text.slice(offset))?.[0].length ?? 0;
    if (text[offset + indent] !== '\n') return offset + indent;
  }
  return offset;
}
