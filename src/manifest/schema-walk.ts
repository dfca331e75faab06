/** Finds the part of the schema that describes a key path, to read its field info and keys. */
import type * as z from 'zod/mini';

interface Def {
  type: string;
  innerType?: z.core.$ZodType;
  shape?: Record<string, z.core.$ZodType>;
  valueType?: z.core.$ZodType;
  keyType?: z.core.$ZodType;
  element?: z.core.$ZodType;
  options?: z.core.$ZodType[];
}

const defOf = (schema: z.core.$ZodType): Def =>
  (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Optional, nullable and default wrappers say nothing about the value itself. */
export function unwrap(schema: z.core.$ZodType): z.core.$ZodType {
  let current = schema;
  for (let def = defOf(current); def.innerType !== undefined; def = defOf(current)) {
    current = def.innerType;
  }
  return current;
}

function child(schema: z.core.$ZodType, segment: string | number): z.core.$ZodType | undefined {
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
  root: z.core.$ZodType,
  path: readonly (string | number)[],
): z.core.$ZodType | undefined {
  let current: z.core.$ZodType | undefined = root;
  for (const segment of path) {
    if (current === undefined) return undefined;
    current = child(current, segment);
  }
  return current === undefined ? undefined : unwrap(current);
}

/** The keys an object schema at `path` accepts (for "did you mean"), or []. */
export function keysAt(root: z.core.$ZodType, path: readonly (string | number)[]): string[] {
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
  root: z.core.$ZodType,
  path: readonly (string | number)[],
): z.core.$ZodType | undefined {
  const schema = schemaAt(root, path);
  return schema === undefined ? undefined : defOf(schema).keyType;
}
