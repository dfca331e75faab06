/**
 * `devlaunch init`: writes a starter `launcher.yaml` in the current directory (never over an
 * existing `launcher.yaml` or `launcher.yml`: exit 2) and makes git ignore `.devlaunch/`, where
 * sessions keep their state and logs.
 */
import { existsSync, lstatSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DevlaunchError } from '../errors.js';
import { MANIFEST_NAMES } from '../manifest/index.js';

/** The starter manifest: a backend and a frontend that calls it, every line explained. */
export const STARTER_MANIFEST = `# yaml-language-server: $schema=./node_modules/devlaunch/launcher.schema.json
#
# launcher.yaml: the services of this project, started together with \`devlaunch up\`.
# Replace the commands and ports below with your own. Relative paths are taken from this
# file's folder; durations take 500ms, 5s, 2m or a number of seconds.

# name: my-project     # default: this folder's name
# env_file: .env       # dotenv file(s) every service reads
# stop_timeout: 5s     # grace between SIGTERM and SIGKILL when stopping (default 5s)

services:
  backend:
    # A string runs through the shell; a list ([node, server.js]) runs without one.
    # \${PORT} is this service's port, after any remapping.
    command: npm run start -- --port \${PORT}
    # cwd: backend      # working directory (default: this folder)
    port: 8000
    # Ready once the port accepts connections (the default); or, for example:
    # ready:
    #   http: /health   # GET http://localhost:8000/health answers 2xx/3xx
    #   timeout: 30s
    # on_conflict: ask  # port held by another program: ask, kill, remap or fail

  frontend:
    command: npm run dev -- --port \${PORT}
    port: 3000
    env:
      # Every service gets BACKEND_URL, BACKEND_PORT, BACKEND_HOST, FRONTEND_URL, ...
      API_URL: \${BACKEND_URL}
    depends_on: [backend] # starts once backend is ready
`;

const IGNORED = '.devlaunch/';

/** Writes the starter manifest in `dir`; returns what it did, one message each. */
export function initProject(dir: string): string[] {
  // lstat: a link to nothing is there too (writing would follow it, or fail with EEXIST).
  const existing = MANIFEST_NAMES.map((name) => join(dir, name)).find((p) => present(p));
  if (existing !== undefined) {
    throw new DevlaunchError(
      'USAGE',
      `${existing} already exists; devlaunch init changed nothing`,
      {
        hint: 'Edit it, or move it away and run devlaunch init again. devlaunch doctor checks it.',
      },
    );
  }
  const file = join(dir, 'launcher.yaml');
  try {
    // 'wx': a file created since the check above is not overwritten either.
    writeFileSync(file, STARTER_MANIFEST, { flag: 'wx' });
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    throw new DevlaunchError('USAGE', `cannot write ${file}: ${code ?? message}`, {
      hint: 'run devlaunch init in a folder you can write to',
      cause: error,
    });
  }
  return [
    'wrote launcher.yaml (a backend and a frontend to adapt)',
    ignoreStateDir(join(dir, '.gitignore')),
    'next: put your commands and ports in launcher.yaml, then run devlaunch up',
  ];
}

function present(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Adds `.devlaunch/` to `.gitignore` unless a line already ignores it; says what it did. */
export function ignoreStateDir(gitignore: string): string {
  if (!existsSync(gitignore)) {
    writeFileSync(gitignore, `${IGNORED}\n`);
    return `created .gitignore with ${IGNORED}`;
  }
  const text = readFileSync(gitignore, 'utf8');
  if (text.split(/\r?\n/).some((line) => isStateDirRule(line.trim()))) {
    return `.gitignore already ignores ${IGNORED}`;
  }
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  const separator = text === '' || text.endsWith('\n') ? '' : newline;
  writeFileSync(gitignore, `${text}${separator}${IGNORED}${newline}`);
  return `added ${IGNORED} to .gitignore`;
}

/** `.devlaunch`, `.devlaunch/`, `/.devlaunch`, `/.devlaunch/` and `**` forms all ignore it. */
function isStateDirRule(line: string): boolean {
  return /^(\/|\*\*\/)?\.devlaunch\/?$/.test(line);
}
