/**
 * Turns zod's issues into Problems a user can act on: the key path, a plain message, what was
 * expected and what was found, and a hint ("did you mean") where one is likely.
 */
import type * as z from 'zod/mini';
import type { Problem } from './diagnostics.js';
import { describeFound, fieldInfo, kindOf } from './field-info.js';
import { ManifestSchema } from './schema.js';
import { keysAt, recordKeyAt, schemaAt } from './schema-walk.js';
import { closest, didYouMean } from './suggest.js';

type Issue = z.core.$ZodIssue;
type Segment = string | number;

const TYPE_WORDS: Record<string, string> = {
  object: 'a map',
  record: 'a map',
  array: 'a list',
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
};

export function issuesToProblems(issues: readonly Issue[], data: unknown): Problem[] {
  const all = issues.flatMap((issue) => toProblems(issue, [], data));
  // Each hint with where it was given (the map's path and the depth), looked up once per
  // missing key instead of searched for among all the problems.
  const place = (path: readonly Segment[], hint: string | undefined) =>
    JSON.stringify([path.length, path.slice(0, -1).join('.'), hint ?? null]);
  const hinted = new Set(all.map((other) => place(other.path, other.hint)));
  const seen = new Set<string>();
  return all.filter((problem) => {
    // One mistake, one problem: `servces:` is reported as a typo, not also as a missing `services`.
    const typo =
      problem.message.startsWith('missing required key') &&
      hinted.has(place(problem.path, `did you mean "${problem.path.at(-1)}"?`));
    const key = `${JSON.stringify(problem.path)} ${problem.message}`;
    if (typo || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function valueAt(data: unknown, path: readonly Segment[]): unknown {
  let current = data;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}

/** The word a message names a value by: `port`, `command[1]`, `DATABASE_URL`. */
function label(path: readonly Segment[]): string {
  const last = path.at(-1);
  if (typeof last === 'number') return `${label(path.slice(0, -1))}[${last}]`;
  return last ?? 'the manifest';
}

function toProblems(issue: Issue, prefix: readonly Segment[], data: unknown): Problem[] {
  const path = [...prefix, ...issue.path.filter((s): s is Segment => typeof s !== 'symbol')];
  const value = valueAt(data, path);
  const key = label(path);

  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((unknownKey) => unknownKeyProblem(path, unknownKey, data));
    case 'invalid_key': {
      const keySchema = recordKeyAt(ManifestSchema, path.slice(0, -1));
      const info = keySchema ? fieldInfo.get(keySchema) : undefined;
      const name = String(path.at(-1));
      return [
        {
          path,
          atKey: true,
          message: info?.explain?.(name, name)?.message ?? `"${name}" is not a valid key here`,
          expected: info?.expected,
          found: JSON.stringify(name),
        },
      ];
    }
    case 'invalid_union': {
      // The option whose own type matches the value says precisely what is wrong inside it.
      const matching = issue.errors.filter(
        (group) => !group.some((i) => i.path.length === 0 && i.code === 'invalid_type'),
      );
      if (matching.length === 1) return matching[0]!.flatMap((i) => toProblems(i, path, data));
      return [leafProblem(issue, path, key, value)];
    }
    default:
      return [leafProblem(issue, path, key, value)];
  }
}

function unknownKeyProblem(path: readonly Segment[], unknownKey: string, data: unknown): Problem {
  const known = keysAt(ManifestSchema, path);
  const serviceKeys = keysAt(ManifestSchema, ['services', 'x']);
  let hint = didYouMean(unknownKey, known);
  if (hint === undefined && path.length === 0) {
    const value = valueAt(data, [unknownKey]);
    if (value !== null && typeof value === 'object' && 'command' in value) {
      hint = `services go under services:, e.g. services: { ${unknownKey}: ... }`;
    } else if (serviceKeys.includes(unknownKey)) {
      hint = `${unknownKey} is a service setting: put it under services.NAME`;
    }
  }
  return {
    path: [...path, unknownKey],
    atKey: true,
    message: `unknown key "${unknownKey}"`,
    expected: known.length > 0 ? `one of ${known.join(', ')}` : undefined,
    found: unknownKey,
    hint,
  };
}

function leafProblem(issue: Issue, path: Segment[], key: string, value: unknown): Problem {
  const schema = schemaAt(ManifestSchema, path);
  const info = schema ? fieldInfo.get(schema) : undefined;
  const found = describeFound(value);
  const params = (issue.code === 'custom' ? issue.params : undefined) as
    | { hint?: string; expected?: string; found?: string; atKey?: boolean }
    | undefined;

  if (value === undefined && (issue.code === 'invalid_type' || issue.code === 'invalid_union')) {
    return {
      path,
      message: `missing required key "${key}"`,
      expected:
        info?.expected ?? (issue.code === 'invalid_type' ? TYPE_WORDS[issue.expected] : undefined),
      found: 'nothing',
      hint: key === 'command' ? 'add command: with what to run, e.g. npm run dev' : undefined,
    };
  }
  // A refinement that already wrote a precise message (a bad regular expression).
  if (issue.code === 'custom' && params?.hint !== undefined) {
    return {
      path,
      message: issue.message,
      expected: params.expected ?? info?.expected,
      found: params.found ?? found,
      hint: params.hint,
      atKey: params.atKey,
    };
  }
  const explained = info?.explain?.(value, key);
  if (explained) return { path, expected: info?.expected, found, ...explained };

  switch (issue.code) {
    case 'invalid_type': {
      const expected = info?.expected ?? TYPE_WORDS[issue.expected] ?? issue.expected;
      return { path, message: `${key} must be ${expected}, not ${kindOf(value)}`, expected, found };
    }
    case 'invalid_value': {
      const values = issue.values.map(String);
      const suggestion = typeof value === 'string' ? closest(value, values) : undefined;
      return {
        path,
        message: `${key} must be one of ${values.join(', ')}`,
        expected: info?.expected ?? `one of ${values.join(', ')}`,
        found,
        hint: suggestion ? `did you mean "${suggestion}"?` : undefined,
      };
    }
    case 'too_small':
    case 'too_big': {
      const bound = issue.code === 'too_small' ? issue.minimum : issue.maximum;
      const word = issue.code === 'too_small' ? 'at least' : 'at most';
      const what = issue.origin === 'array' ? `${word} ${bound} item(s)` : `${word} ${bound}`;
      return { path, message: `${key} must be ${what}`, expected: info?.expected, found };
    }
    case 'invalid_format':
      return {
        path,
        message:
          typeof value === 'string' && value.trim() === ''
            ? `${key} is empty`
            : `${key} is not valid`,
        expected: info?.expected ?? `text matching ${issue.pattern ?? issue.format}`,
        found,
      };
    default:
      return {
        path,
        message: info
          ? `${key} must be ${info.expected}, not ${kindOf(value)}`
          : `${key}: ${issue.message}`,
        expected: info?.expected,
        found,
      };
  }
}
