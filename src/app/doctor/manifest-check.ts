/**
 * Doctor: is there a manifest, and is it valid? An invalid manifest still names the project
 * root (the folder it is in), so the state checks can run; the port checks cannot.
 */
import { dirname } from 'node:path';
import { isDevlaunchError } from '../../errors.js';
import { displayFile } from '../../manifest/format.js';
import { type Manifest, readManifest } from '../../manifest/index.js';
import { type CheckResult, error, ok, plural } from './check.js';

export interface ManifestFacts {
  result: CheckResult;
  /** The valid manifest, or null. */
  manifest: Manifest | null;
  /** The project root, when a manifest file was found (valid or not). */
  root: string | null;
}

export function checkManifest(opts: {
  file: string | undefined;
  cwd: string;
  env: Record<string, string | undefined>;
}): ManifestFacts {
  let read: ReturnType<typeof readManifest>;
  try {
    read = readManifest(opts);
  } catch (caught) {
    if (!isDevlaunchError(caught)) throw caught;
    return {
      result: error('manifest', caught.message, caught.hint ?? null),
      manifest: null,
      root: null,
    };
  }
  if (!read.ok) {
    const shown = displayFile(read.file);
    return {
      result: {
        ...error(
          'manifest',
          `${shown} is not valid (${plural(read.diagnostics.length, 'problem')}): nothing can start`,
          'Fix the problems listed; devlaunch config shows them again once you have edited the file.',
        ),
        diagnostics: read.diagnostics,
        source: read.text,
      },
      manifest: null,
      root: dirname(read.file),
    };
  }
  const { manifest } = read;
  const names = Object.keys(manifest.services);
  return {
    result: ok(
      'manifest',
      `${displayFile(manifest.file)} is valid (${plural(names.length, 'service')}: ${names.join(', ')})`,
    ),
    manifest,
    root: manifest.root,
  };
}
