/**
 * The rules about relations between values, run on the normalised manifest once its shape is
 * right. Each returns every problem it finds; none throws.
 */
import type { Problem } from '../diagnostics.js';
import type { Manifest } from '../types.js';
import { dependencyCycles, unknownDependencies } from './dependencies.js';
import { missingFiles } from './files.js';
import { duplicatePorts } from './ports.js';

export const RULES: readonly ((manifest: Manifest) => Problem[])[] = [
  duplicatePorts,
  unknownDependencies,
  dependencyCycles,
  missingFiles,
];

export function ruleProblems(manifest: Manifest): Problem[] {
  return RULES.flatMap((rule) => rule(manifest));
}
