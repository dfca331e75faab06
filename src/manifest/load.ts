/** Reading a manifest from disk: the I/O around the pure validation pipeline. */
import { readFileSync } from 'node:fs';
import { DevlaunchError } from '../errors.js';
import type { Diagnostic } from './diagnostics.js';
import { findManifest, type LoadOptions } from './discover.js';
import { displayFile, formatDiagnostics } from './format.js';
import type { Manifest } from './types.js';
import { validateManifest } from './validate.js';

export type ReadResult =
  | { ok: true; manifest: Manifest }
  | { ok: false; diagnostics: Diagnostic[]; text: string; file: string };

/** Finds, reads and validates. Throws only when there is no manifest or it cannot be read. */
export function readManifest(opts: LoadOptions): ReadResult {
  const file = findManifest(opts);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new DevlaunchError('MANIFEST_NOT_FOUND', `cannot read ${file}`, {
      cause: error,
      hint: error instanceof Error ? error.message : undefined,
    });
  }
  const result = validateManifest(text, { file, env: opts.env });
  return result.ok ? result : { ...result, text, file };
}

/** The valid manifest, or MANIFEST_INVALID (exit 2) with every diagnostic in the message. */
export function loadManifest(opts: LoadOptions): Manifest {
  const result = readManifest(opts);
  if (result.ok) return result.manifest;
  const shown = displayFile(result.file);
  throw new DevlaunchError(
    'MANIFEST_INVALID',
    `${shown} is not a valid manifest; nothing was started.\n\n${formatDiagnostics(result.diagnostics, result.text, false).trimEnd()}`,
    { hint: 'devlaunch config shows these problems again once you have edited the file' },
  );
}
