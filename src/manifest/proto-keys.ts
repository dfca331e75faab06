/**
 * `__proto__` is a usable name in a manifest (a service, a named port, a variable), but the
 * schema library skips that key in maps (it guards against prototype pollution), so it would
 * vanish unchecked. Before validation every `__proto__` key is renamed to a stand-in that the
 * same rules accept, and renamed back afterwards into prototype-free objects (see src/dict.ts).
 */
import { PROTO_STANDIN } from '../dict.js';
import type { KeyPath, Problem } from './diagnostics.js';

export { hideProtoKeys, restoreProtoKeys } from '../dict.js';

const PROTO = '__proto__';

/** A problem found on hidden data, with its path and texts as the user wrote them. */
export function restoreProblem(problem: Problem): Problem {
  const text = (t: string) => t.replaceAll(PROTO_STANDIN, PROTO);
  const out: Problem = {
    ...problem,
    path: restorePath(problem.path),
    message: text(problem.message),
  };
  if (problem.expected !== undefined) out.expected = text(problem.expected);
  if (problem.found !== undefined) out.found = text(problem.found);
  if (problem.hint !== undefined) out.hint = text(problem.hint);
  return out;
}

function restorePath(path: KeyPath): KeyPath {
  return path.map((segment) => (segment === PROTO_STANDIN ? PROTO : segment));
}
