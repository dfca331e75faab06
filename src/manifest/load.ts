/** Reading a manifest from disk: the I/O around the pure validation pipeline. */

import { parseDocument } from 'yaml';
import { DevlaunchError } from '../errors.js';
import type { Diagnostic } from './diagnostics.js';
import { findManifest, type LoadOptions } from './discover.js';
import { displayFile, formatDiagnostics } from './format.js';
import { pathContaining } from './locate.js';
import { lineAndColumn, notUtf8, readText } from './read-text.js';
import type { Manifest } from './types.js';
import { validateManifest } from './validate.js';

export type ReadResult =
  | { ok: true; manifest: Manifest }
  | { ok: false; diagnostics: Diagnostic[]; text: string; file: string };

/**
 * Finds, reads and validates. Throws only when there is no manifest (MANIFEST_NOT_FOUND). A
 * manifest that cannot be read or is not UTF-8 is one diagnostic like any other problem, so
 * commands that can work from the recorded state (down, status) still do.
 */
export function readManifest(opts: LoadOptions): ReadResult {
  const file = findManifest(opts);
  const read = readText(file);
  if (read.text === null) {
    const diagnostic: Diagnostic = {
      file,
      line: 1,
      column: 1,
      path: [],
      message: `cannot read the manifest: ${read.reason}`,
      hint: read.hint,
    };
    return { ok: false, diagnostics: [diagnostic], text: '', file };
  }
  if (!read.ok) {
    // The key whose value holds the bad byte, as the text reads with U+FFFD in its place. Only
    // the shape is read: without the duplicate-key check, which costs n² in a map of n keys.
    const doc = parseDocument(read.text, {
      logLevel: 'silent',
      prettyErrors: false,
      uniqueKeys: false,
    });
    const diagnostic: Diagnostic = {
      file,
      ...lineAndColumn(read.text, read.index),
      path: pathContaining(doc, read.index),
      ...notUtf8(read),
      expected: 'UTF-8 text',
    };
    return { ok: false, diagnostics: [diagnostic], text: read.text, file };
  }
  const result = validateManifest(read.text, { file, env: opts.env });
  return result.ok ? result : { ...result, text: read.text, file };
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
