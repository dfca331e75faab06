/**
 * What the schema knows about a field beyond its shape, for error messages: what is expected
 * (in words a user reads), and an optional `explain` that turns the value found into a precise
 * message and hint. Kept in its own zod registry, so it never leaks into `launcher.schema.json`.
 */
import * as z from 'zod/mini';

export interface Explanation {
  message: string;
  hint?: string;
}

export interface FieldInfo {
  /** What the field takes, e.g. `a port number 1–65535, or auto`. */
  expected: string;
  /** A precise message for a value that failed, or undefined for the generic one. */
  explain?: (value: unknown, key: string) => Explanation | undefined;
}

export const fieldInfo = z.registry<FieldInfo>();

/** Registers `info` for `schema` and returns the schema, for use inline in the schema. */
export function field<T extends z.core.$ZodType>(schema: T, info: FieldInfo): T {
  fieldInfo.add(schema, info);
  return schema;
}

/** A value as a user wrote it, short: `70000`, `"8000"`, `a list`, `nothing`. */
export function describeFound(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'string') {
    const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value;
    return JSON.stringify(shown);
  }
  return String(value);
}

/** `a string`, `a number`, ... for the kind of a value, used in "must be X, found Y". */
export function kindOf(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'string') return 'text';
  if (typeof value === 'number') return 'a number';
  if (typeof value === 'boolean') return 'true/false';
  return typeof value;
}
