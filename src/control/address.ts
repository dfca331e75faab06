/**
 * Where a session's control channel listens. POSIX: a Unix socket in
 * `<root>/.devlaunch/control/<session>.sock`, in a folder only the user may enter (0700; the
 * socket itself is 0600). A socket path must fit `sun_path` (108 bytes on Linux, 104 on macOS,
 * terminating NUL included), which a deep project folder exceeds; then the socket goes to a
 * short path under the user's runtime folder and a pointer file at the usual place names it.
 * Windows: a named pipe, whose default security lets only its creator (and the system) write.
 */
import { createHash } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { DevlaunchError } from '../errors.js';
import { stateDir } from '../state/index.js';

/** macOS's sun_path is 104 bytes with the NUL: the smaller of the two limits. */
export const MAX_SOCKET_PATH_BYTES = 103;

export function controlDir(root: string): string {
  return join(stateDir(root), 'control');
}

/** The in-project socket path (it may be too long to use; see `socketPathFor`). */
export function projectSocketPath(root: string, session: string): string {
  return join(controlDir(root), `${session}.sock`);
}

/** The pointer file written when the socket had to live elsewhere. */
export function pointerFile(root: string, session: string): string {
  return `${projectSocketPath(root, session)}.path`;
}

function projectHash(root: string): string {
  return createHash('sha256').update(root).digest('hex').slice(0, 16);
}

export function pipeName(root: string, session: string): string {
  return `\\\\.\\pipe\\devlaunch-${projectHash(root)}-${session}`;
}

/** The user's runtime folder for the fallback: $XDG_RUNTIME_DIR/devlaunch, else /tmp/devlaunch-UID. */
export function runtimeDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_RUNTIME_DIR;
  if (xdg && isAbsolute(xdg)) return join(xdg, 'devlaunch');
  return join(tmpdir(), `devlaunch-${process.getuid?.() ?? 'user'}`);
}

/**
 * Pure choice of where the socket goes: in the project when the path fits, else in `runtime`.
 * `pointer` says whether a pointer file must name it.
 */
export function chooseSocketPath(
  root: string,
  session: string,
  runtime: string,
): { path: string; pointer: boolean } {
  const inProject = projectSocketPath(root, session);
  if (Buffer.byteLength(inProject) <= MAX_SOCKET_PATH_BYTES)
    return { path: inProject, pointer: false };
  return { path: join(runtime, `${projectHash(root)}-${session}.sock`), pointer: true };
}

/** A folder only this user may enter: created 0700, and refused if someone else's or looser. */
export function privateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (process.platform === 'win32') return;
  const info = lstatSync(dir);
  const uid = process.getuid?.();
  if (!info.isDirectory() || (uid !== undefined && info.uid !== uid)) {
    throw new DevlaunchError(
      'STATE_INVALID',
      `${dir} is not a folder of this user, so the control channel cannot be kept private there`,
      { hint: `Remove ${dir} (or set XDG_RUNTIME_DIR to a folder of yours) and start again.` },
    );
  }
  if ((info.mode & 0o077) !== 0) chmodSync(dir, 0o700);
}

/** Prepares the place to listen on and returns it (the server's side). */
export function listenAddress(root: string, session: string): string {
  if (process.platform === 'win32') return pipeName(root, session);
  privateDir(controlDir(root));
  const choice = chooseSocketPath(root, session, runtimeDir());
  if (choice.pointer) {
    privateDir(runtimeDir());
    writeFileSync(pointerFile(root, session), `${choice.path}\n`, { mode: 0o600 });
  }
  rmSync(choice.path, { force: true }); // a socket left by a crash would refuse the bind
  return choice.path;
}

/** Where a client connects to the session's supervisor (the pointer file wins). */
export function connectAddress(root: string, session: string): string {
  if (process.platform === 'win32') return pipeName(root, session);
  try {
    const pointed = readFileSync(pointerFile(root, session), 'utf8').trim();
    if (pointed !== '') return pointed;
  } catch {}
  return projectSocketPath(root, session);
}

/** Removes the socket and its pointer (the server's side, when the session ends). */
export function removeAddress(root: string, session: string, path: string): void {
  if (process.platform === 'win32') return;
  rmSync(path, { force: true });
  rmSync(pointerFile(root, session), { force: true });
}
