/**
 * Whether `.devlaunch/` can hold a session, checked before anything is claimed or started: a
 * folder that is read-only, a file where the folder should be, or a folder where a state file
 * should be is reported as an error naming the path and the fix — never a stack trace, and
 * never a reason to stop any process.
 */
import { lstatSync, mkdirSync, rmSync } from 'node:fs';
import { DevlaunchError } from '../errors.js';
import { tempPathFor, writeNewFileSync } from './atomic-write.js';
import { lockFile, logsDir, sessionFile, sessionsDir, stateDir } from './paths.js';

type Kind = 'file' | 'folder';

function kindOf(path: string): Kind | 'other' | null {
  try {
    const st = lstatSync(path);
    return st.isDirectory() ? 'folder' : st.isFile() ? 'file' : 'other';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw unusable(path, error);
  }
}

function unusable(path: string, error: unknown): DevlaunchError {
  const code = (error as NodeJS.ErrnoException).code ?? String(error);
  const readOnly = code === 'EACCES' || code === 'EPERM' || code === 'EROFS';
  return new DevlaunchError(
    'STATE_INVALID',
    `cannot use ${path} (${code}${readOnly ? ': not writable' : ''}); nothing was started or stopped`,
    {
      hint: readOnly
        ? `devlaunch keeps its session state there: make it writable (chmod -R u+w ${path}, or chown it to you), or remove it.`
        : `devlaunch keeps its session state there: remove it (rm -r ${path}) and try again.`,
      cause: error,
    },
  );
}

function wrongKind(path: string, found: Kind | 'other', expected: Kind): DevlaunchError {
  const what = found === 'other' ? 'not a regular file or folder' : `a ${found}`;
  return new DevlaunchError(
    'STATE_INVALID',
    `${path} is ${what}, where devlaunch keeps its ${expected === 'folder' ? 'session state folder' : 'session state'}; nothing was started or stopped`,
    {
      hint: `Nothing of devlaunch's can be in it: move it away or remove it (rm -r ${path}) and try again.`,
    },
  );
}

/**
 * Throws STATE_INVALID (exit 1) when `.devlaunch/` under `root` cannot serve: any of its known
 * entries of the wrong kind, or (with `write`) a folder devlaunch cannot create or write in.
 */
export function assertUsableState(root: string, options: { write: boolean }): void {
  const dir = stateDir(root);
  const expected: [string, Kind][] = [
    [dir, 'folder'],
    [sessionFile(root), 'file'],
    [lockFile(root), 'file'],
    [logsDir(root), 'folder'],
    [sessionsDir(root), 'folder'],
  ];
  for (const [path, kind] of expected) {
    const found = kindOf(path);
    if (found !== null && found !== kind) throw wrongKind(path, found, kind);
    if (found === null && path === dir) break; // nothing below a folder that does not exist
  }
  if (!options.write) return;
  try {
    mkdirSync(dir, { recursive: true });
    const probe = tempPathFor(lockFile(root));
    writeNewFileSync(probe, '', false);
    rmSync(probe, { force: true });
  } catch (error) {
    throw unusable(dir, error);
  }
}
