/**
 * The schema library as devlaunch uses it (the manifest's schema, and the session state's):
 * zod's "mini" build, `import * as z from 'zod/mini'` in each module so that the bundler keeps
 * only what is used, configured here as the full build configures itself. The full build gives
 * every schema object some forty methods, and loading and setting it up cost ≈ 700 page faults
 * (10–15 ms on this project's test machine) at each start; mini's schemas have a handful and
 * parse through the same core: the same issues, with the same English messages.
 *
 * Imported before any schema is built: containers read the memoizer (cycle support, for YAML
 * aliases that refer to themselves) when they are made.
 */
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';

// zod compiles a fast parser for each object schema with new Function on its first parse: a
// second compilation of code no cache keeps, in a process that parses one manifest and exits.
z.config({ ...en(), jitless: true, memoizer: z.memoizer() });

/** What the full build's `schema.describe(text)` does: a copy carrying the description. */
export function describe<T extends z.core.$ZodType>(schema: T, description: string): T {
  const copy = z.clone(schema);
  z.globalRegistry.add(copy, { description });
  return copy;
}

/** What the full build's `schema.meta(data)` does: a copy carrying the metadata. */
export function meta<T extends z.core.$ZodType>(schema: T, data: z.core.GlobalMeta): T {
  const copy = z.clone(schema);
  z.globalRegistry.add(copy, data);
  return copy;
}

/** What the full build's `schema.describe(description).optional()` (or `.optional()`) does. */
export function optional<T extends z.core.$ZodType>(
  schema: T,
  description?: string,
): z.ZodMiniOptional<T> {
  return z.optional(description === undefined ? schema : describe(schema, description));
}
