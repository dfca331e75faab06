/**
 * The project a state command talks about, found without validating its manifest: the
 * manifest's folder (where `.devlaunch/` lives) and its name, read by `quickProjectName`. For
 * `status` when nothing runs, which needs no more; undefined whenever the manifest is not one of
 * the plain shapes read there (the command then uses `stateProject`, which validates it).
 */
import { dirname } from 'node:path';
import { findManifest, type LoadOptions } from '../manifest/discover.js';
import { quickProjectName } from '../manifest/quick-name.js';
import { readText } from '../manifest/read-text.js';

export function quickProject(opts: LoadOptions): { root: string; name: string } | undefined {
  const file = findManifest(opts); // no manifest at all: the same error as stateProject's
  const read = readText(file);
  if (!read.ok) return undefined; // unreadable, too large or not UTF-8: stateProject reports it
  const root = dirname(file);
  const name = quickProjectName(read.text, root);
  return name === undefined ? undefined : { root, name };
}
