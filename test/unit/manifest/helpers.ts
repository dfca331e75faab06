import { join } from 'node:path';
import type { Diagnostic } from '../../../src/manifest/diagnostics.js';
import type { Manifest } from '../../../src/manifest/types.js';
import { validateManifest } from '../../../src/manifest/validate.js';
import { removeTempDirs, project as testProject } from '../../helpers/project.js';

/** A temporary project folder holding `files` (path → content); removed by `cleanProjects`. */
export function project(files: Record<string, string> = {}): string {
  return testProject(null, { files, prefix: 'devlaunch-manifest-' }).root;
}

export { removeTempDirs as cleanProjects };

/** Strips the common indentation of a template literal, so YAML can be written inline. */
export function yaml(text: string): string {
  const lines = text.replace(/^\n/, '').split('\n');
  const indent = Math.min(
    ...lines.filter((l) => l.trim() !== '').map((l) => l.length - l.trimStart().length),
  );
  return lines.map((l) => l.slice(indent)).join('\n');
}

export function check(
  text: string,
  files: Record<string, string> = {},
  env: Record<string, string | undefined> = {},
): { ok: true; manifest: Manifest } | { ok: false; diagnostics: Diagnostic[] } {
  const root = project(files);
  return validateManifest(text, { file: join(root, 'launcher.yaml'), env });
}

export function problems(text: string, files: Record<string, string> = {}): Diagnostic[] {
  const result = check(text, files);
  if (result.ok) throw new Error('expected the manifest to be invalid');
  return result.diagnostics;
}

export function valid(text: string, files: Record<string, string> = {}, env = {}): Manifest {
  const result = check(text, files, env);
  if (!result.ok) {
    throw new Error(
      `expected a valid manifest, got:\n${result.diagnostics.map((d) => d.message).join('\n')}`,
    );
  }
  return result.manifest;
}
