/** Finds the part of the schema that describes a key path, to read its field info and keys. */
import type * as z from 'zod';

interface Def {
  type: string;
  innerType?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  valueType?: z.ZodType;
  keyType?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Optional, nullable and default wrappers say nothing about the value itself. */
export function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (let def = defOf(current); def.innerType !== undefined; def = defOf(current)) {
    current = def.innerType;
  }
  return current;
}

function child(schema: z.ZodType, segment: string | number): z.ZodType | undefined {
  const def = defOf(unwrap(schema));
  switch (def.type) {
    case 'object':
      return typeof segment === 'string' ? def.shape?.[segment] : undefined;
    case 'record':
      return typeof segment === 'string' ? def.valueType : undefined;
    case 'array':
      return typeof segment === 'number' ? def.element : undefined;
    case 'union':
      for (const option of def.options ?? []) {
        const found = child(option, segment);
        if (found) return found;
      }
      return undefined;
    default:
      return undefined;
  }
}

/** The schema at `path`, unwrapped, or undefined when the path leaves the schema. */
export function schemaAt(
  root: z.ZodType,
  path: readonly (string | number)[],
): z.ZodType | undefined {
  let current: z.ZodType | undefined = root;
  for (const segment of path) {
    if (current === undefined) return undefined;
    current = child(current, segment);
  }
  return current === undefined ? undefined : unwrap(current);
}

/** The keys an object schema at `path` accepts (for "did you mean"), or []. */
export function keysAt(root: z.ZodType, path: readonly (string | number)[]): string[] {
  const schema = schemaAt(root, path);
  if (schema === undefined) return [];
  const def = defOf(schema);
  if (def.type === 'object') return Object.keys(def.shape ?? {});
  if (def.type === 'union') {
    return (def.options ?? []).flatMap((o) => {
      const d = defOf(unwrap(o));
      return d.type === 'object' ? Object.keys(d.shape ?? {}) : [];
    });
  }
  return [];
}

/** The key schema of the record at `path` (for a key the record rejects). */
export function recordKeyAt(
  root: z.ZodType,
  path: readonly (string | number)[],
): z.ZodType | undefined {
  const schema = schemaAt(root, path);
  return schema === undefined ? undefined : defOf(schema).keyType;
}
