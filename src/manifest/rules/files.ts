/**
 * Files and folders the manifest names must exist: a missing `.env` or `cwd` fails at start-up
 * otherwise. A dotenv file must also be readable and UTF-8 without NUL characters: dotenv would
 * turn other bytes into U+FFFD without a word, and a NUL makes the service fail to start.
 */
import { statSync } from 'node:fs';
import { relative } from 'node:path';
import type { KeyPath, Problem } from '../diagnostics.js';
import { lineAndColumn, notUtf8, readText } from '../read-text.js';
import type { Manifest } from '../types.js';

function kind(path: string): 'file' | 'directory' | 'missing' | 'loop' {
  try {
    return statSync(path).isDirectory() ? 'directory' : 'file';
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ELOOP' ? 'loop' : 'missing';
  }
}

/** What is wrong with the content of a dotenv file that exists, if anything. */
function contentProblem(file: string, shown: string): Omit<Problem, 'path'> | null {
  const read = readText(file);
  if (read.text === null) {
    return {
      message: `env_file ${shown} cannot be read: ${read.reason}`,
      found: file,
      hint: `${read.hint}, or remove it from env_file`,
    };
  }
  if (!read.ok) {
    const { line } = lineAndColumn(read.text, read.index);
    const { message, hint } = notUtf8(read);
    return { message: `env_file ${shown}, line ${line}: ${message}`, found: file, hint };
  }
  const nul = read.text.indexOf('\0');
  if (nul >= 0) {
    const { line } = lineAndColumn(read.text, nul);
    return {
      message: `env_file ${shown}, line ${line}: a NUL character, which no variable can carry`,
      found: file,
      hint: 'remove it (a file saved as UTF-16 has one in every character: save it as UTF-8)',
    };
  }
  return null;
}

function envFileProblems(files: string[], prefix: KeyPath, root: string): Problem[] {
  return files.flatMap((file, index): Problem[] => {
    const found = kind(file);
    const inside = relative(root, file);
    const shown = inside === '' ? '.' : inside.startsWith('..') ? file : inside;
    const path = [...prefix, index];
    if (found === 'file') {
      const problem = contentProblem(file, shown);
      return problem === null ? [] : [{ path, ...problem }];
    }
    const what = {
      missing: 'does not exist',
      directory: 'is a directory',
      loop: 'is a loop of symbolic links',
    };
    return [
      {
        path,
        message: `env_file ${shown} ${what[found]}`,
        expected: 'a dotenv file, relative to the project root',
        found: file,
        hint:
          found === 'missing'
            ? `create it (it may be empty), or remove it from env_file; paths are relative to ${root}`
            : undefined,
      },
    ];
  });
}

export function missingFiles(manifest: Manifest): Problem[] {
  const problems = envFileProblems(manifest.env_file, ['env_file'], manifest.root);
  for (const [name, service] of Object.entries(manifest.services)) {
    problems.push(
      ...envFileProblems(service.env_file, ['services', name, 'env_file'], manifest.root),
    );
    const cwd = kind(service.cwd);
    if (cwd !== 'directory') {
      problems.push({
        path: ['services', name, 'cwd'],
        message: {
          missing: 'cwd does not exist',
          loop: 'cwd is a loop of symbolic links',
          file: 'cwd is a file, not a directory',
        }[cwd],
        expected: 'a directory, relative to the project root',
        found: service.cwd,
        hint: `paths are relative to the project root ${manifest.root}`,
      });
    }
  }
  return problems;
}
