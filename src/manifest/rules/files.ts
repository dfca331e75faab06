/** Files and folders the manifest names must exist: a missing `.env` or `cwd` fails at start-up otherwise. */
import { statSync } from 'node:fs';
import { relative } from 'node:path';
import type { KeyPath, Problem } from '../diagnostics.js';
import type { Manifest } from '../types.js';

function kind(path: string): 'file' | 'directory' | 'missing' {
  try {
    return statSync(path).isDirectory() ? 'directory' : 'file';
  } catch {
    return 'missing';
  }
}

function envFileProblems(files: string[], prefix: KeyPath, root: string): Problem[] {
  return files.flatMap((file, index): Problem[] => {
    const found = kind(file);
    if (found === 'file') return [];
    const shown = relative(root, file) || '.';
    return [
      {
        path: [...prefix, index],
        message:
          found === 'missing'
            ? `env_file ${shown} does not exist`
            : `env_file ${shown} is a directory`,
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
        message: cwd === 'missing' ? 'cwd does not exist' : 'cwd is a file, not a directory',
        expected: 'a directory, relative to the project root',
        found: service.cwd,
        hint: `paths are relative to the project root ${manifest.root}`,
      });
    }
  }
  return problems;
}
