/**
 * When the schema rejects parts of a manifest, the rules about relations (ports, cycles,
 * `${VAR}`) should still see the rest, so one run reports every problem. This drops each
 * rejected value, keeps every service (a broken one with a placeholder command, so
 * `depends_on` on it is not reported as unknown), and checks the schema again.
 */
import type { KeyPath } from './diagnostics.js';
import { ManifestSchema, type RawManifest } from './schema.js';
import { issuesToProblems } from './zod-issues.js';

const isMap = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** Deletes the deepest map key on `path`, so a bad list item removes the whole list. */
function drop(data: Record<string, unknown>, path: KeyPath): void {
  let parent: Record<string, unknown> | undefined;
  let key: string | undefined;
  let current: unknown = data;
  for (const segment of path) {
    if (!isMap(current) || typeof segment !== 'string') break;
    parent = current;
    key = segment;
    current = current[segment];
  }
  if (parent !== undefined && key !== undefined) delete parent[key];
}

/** `paths`: where the schema found problems (the key paths of the problems reported). */
export function repair(data: unknown, paths: readonly KeyPath[]): RawManifest | null {
  if (!isMap(data)) return null;
  const copy = structuredClone(data);
  let pending = paths;
  // Dropping a value can uncover another problem (a `ready` left with no check): a few rounds.
  for (let round = 0; round < 4; round++) {
    for (const path of pending) drop(copy, path);
    if (!isMap(copy.services)) copy.services = {};
    const services = copy.services as Record<string, unknown>;
    for (const [name, service] of Object.entries(services)) {
      if (!isMap(service)) services[name] = { command: 'true' };
      else if (service.command === undefined) service.command = 'true';
    }
    const again = ManifestSchema.safeParse(copy);
    if (again.success) return again.data;
    pending = issuesToProblems(again.error.issues, copy).map((p) => p.path);
  }
  return null;
}
