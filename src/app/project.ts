/**
 * The project a state command (`down`, `status`, `env`, `logs`, `ports`, `free`) talks about.
 * These work from the recorded session state, so a manifest with a syntax error or an invalid
 * key — someone is editing it while the services run — gets a warning, never a refusal: the
 * state folder is found beside the manifest file whatever its content.
 */
import { basename, dirname } from 'node:path';
import { displayFile, type Manifest, readManifest } from '../manifest/index.js';
import { assertUsableState } from '../state/index.js';

export interface StateProject {
  /** The project root: the manifest's folder, where `.devlaunch/` lives. */
  root: string;
  /** The manifest, or null when it is not valid right now. */
  manifest: Manifest | null;
  /** `name:` of a valid manifest, else the root's folder name (the default name). */
  name: string;
}

/**
 * Finds the manifest (MANIFEST_NOT_FOUND when there is none) and reads it; an invalid one is
 * reported through `warn` and the command goes on from the recorded state. Checks that
 * `.devlaunch/` is usable for reading (STATE_INVALID, exit 1, otherwise).
 */
export function stateProject(
  opts: { file: string | undefined; cwd: string; env: Record<string, string | undefined> },
  warn: (text: string) => void,
): StateProject {
  const read = readManifest({ file: opts.file, cwd: opts.cwd, env: opts.env });
  if (read.ok) {
    assertUsableState(read.manifest.root, { write: false });
    return { root: read.manifest.root, manifest: read.manifest, name: read.manifest.name };
  }
  const count = read.diagnostics.length;
  warn(
    `${displayFile(read.file)} is not a valid manifest right now (${count} problem${count === 1 ? '' : 's'}; devlaunch config shows ${count === 1 ? 'it' : 'them'}): working from the recorded session state`,
  );
  const root = dirname(read.file);
  assertUsableState(root, { write: false });
  return { root, manifest: null, name: basename(root) };
}
