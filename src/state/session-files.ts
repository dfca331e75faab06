/**
 * Which session state files exist, found without reading them: kept apart from
 * session-state.ts (and its schema) so that `status` with nothing running loads only this.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { sessionFile, sessionsDir } from './paths.js';

/** The main session file (if present), then every dynamic session's, by session id. */
export function listSessionFiles(root: string): string[] {
  const files: string[] = [];
  const main = sessionFile(root);
  if (exists(main)) files.push(main);
  let ids: string[];
  try {
    ids = readdirSync(sessionsDir(root), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
  } catch {
    return files;
  }
  for (const id of ids) {
    const file = join(sessionsDir(root), id, 'session.json');
    if (exists(file)) files.push(file);
  }
  return files;
}

function exists(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
