/** `launcher.schema.json`, generated from the one schema so editors check what devlaunch checks. */
import * as z from 'zod/mini';
import { ManifestSchema } from './schema.js';

export function manifestJsonSchema(): Record<string, unknown> {
  // `input`: what a user may write (durations as text, `auto`), not the normalised shape.
  return z.toJSONSchema(ManifestSchema, { io: 'input', unrepresentable: 'any' });
}
