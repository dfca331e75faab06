/** The manifest stage: find, read, validate and normalise `launcher.yaml`. */
export type { Diagnostic, KeyPath, Problem } from './diagnostics.js';
export { findManifest, type LoadOptions, MANIFEST_NAMES } from './discover.js';
export { parseDuration } from './duration.js';
export { displayFile, formatDiagnostics, formatPath } from './format.js';
export { manifestJsonSchema } from './json-schema.js';
export { loadManifest, type ReadResult, readManifest } from './load.js';
export { normalizeManifest } from './normalize.js';
export type { RawManifest, RawService } from './schema.js';
export { normalizeSignal } from './signals.js';
export type * from './types.js';
export { type ValidationResult, validateManifest } from './validate.js';
