/**
 * Helpers for the port policy tests: a squatter (a foreign HTTP server with a child) on a
 * port from freePort(), optionally as another user; a normalised manifest; a state file of an
 * earlier session whose supervisor is dead. Every started process is tracked for cleanup.
 */
import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Manifest, ServiceConfig } from '../../../src/manifest/types.js';
import { startTimeOf } from '../../../src/process/index.js';
import { type SessionState, sessionFile, writeState } from '../../../src/state/index.js';
import { manifest as baseManifest } from '../../helpers/manifest.js';
import { freePort } from '../../helpers/ports.js';
import { startProgram, track } from '../../helpers/processes.js';
import { removeTempDirs, tempDir } from '../../helpers/project.js';

/**
 * Whether a squatter can run as another user (`asNobody`): only root may switch users. Tests
 * that need another user's process are skipped otherwise, so the suite runs as anyone.
 */
export const canRunAsNobody = process.platform === 'linux' && process.getuid?.() === 0;

export const squatterPath = fileURLToPath(new URL('./squatter.mjs', import.meta.url));

export interface Squatter {
  port: number;
  pid: number;
  childPid: number;
  startTime: string;
  /** With `wrapped`: the parent process that started the squatter; else the squatter's pid. */
  wrapperPid: number;
}

/** A node process that starts the squatter, as a shell or `npm run` would. */
const WRAPPER = `require('child_process').spawn(process.execPath, [${JSON.stringify(squatterPath)}], { stdio: 'inherit' }); setInterval(() => {}, 1e9);`;

/**
 * Starts a squatter (tracked) and waits for it to listen. `port`: default freePort(), not the
 * OS's choice: a test that has devlaunch stop the squatter then binds the same number again,
 * and a port from the ephemeral range could be taken in between by any outgoing connection;
 * `asNobody`: run it as user nobody; `wrapped`: start it from a parent process.
 */
export async function startSquatter(
  opts: { port?: number; asNobody?: boolean; wrapped?: boolean } = {},
): Promise<Squatter> {
  // Another user cannot read files inside a checkout in a private folder (a fresh clone under
  // a mode-700 temp dir, as CI makes): run its copy from a folder every user can read.
  const script = opts.asNobody ? readableCopy(squatterPath) : squatterPath;
  const wrapper = WRAPPER.replace(JSON.stringify(squatterPath), JSON.stringify(script));
  const node = opts.wrapped ? [process.execPath, '-e', wrapper] : [process.execPath, script];
  const [cmd, ...args] = opts.asNobody
    ? ['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups', ...node]
    : node;
  const { child, match: m } = await startProgram(cmd!, args, /^SQUATTER (\d+) (\d+) (\d+)$/, {
    env: { ...process.env, PORT: String(opts.port ?? (await freePort())) },
    cwd: opts.asNobody ? dirname(script) : undefined,
  });
  const childPid = Number(m[3]);
  track(childPid);
  const pid = Number(m[2]);
  track(pid);
  return {
    port: Number(m[1]),
    pid,
    childPid,
    startTime: startTimeOf(pid) ?? '',
    wrapperPid: child.pid!,
  };
}

/** A copy of `file` in a temporary folder every user can read (removed by `removeTempDirs`). */
function readableCopy(file: string): string {
  const dir = tempDir('devlaunch-squatter-');
  chmodSync(dir, 0o755);
  const copy = join(dir, basename(file));
  copyFileSync(file, copy);
  chmodSync(copy, 0o644);
  return copy;
}

export { removeTempDirs, tempDir };

/** A manifest rooted in a fresh temporary folder (its `.devlaunch/` state starts empty). */
export function manifest(
  services: Record<string, Partial<ServiceConfig>>,
  over: Partial<Manifest> = {},
): Manifest {
  const root = tempDir();
  const withShortStops = Object.fromEntries(
    Object.entries(services).map(([n, s]) => [n, { cwd: '/', stop_timeout: 1000, ...s }]),
  );
  return baseManifest(withShortStops, {
    file: join(root, 'launcher.yaml'),
    root,
    stop_timeout: 1000,
    ...over,
  });
}

/** The pid and start time of a process that has exited: a dead supervisor. */
export async function deadProcess(): Promise<{ pid: number; startTime: string }> {
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  const pid = child.pid!;
  const startTime = startTimeOf(pid) ?? '1';
  await new Promise((r) => child.once('exit', r));
  return { pid, startTime };
}

/** Writes the main session file of an earlier session recording `services`. */
export async function writeEarlierSession(
  root: string,
  services: { name: string; pid: number; startTime: string; port: number }[],
  opts: { supervisor?: { pid: number; startTime: string }; session?: string } = {},
): Promise<SessionState> {
  const state: SessionState = {
    version: 1,
    project: 'shop',
    session: opts.session ?? 'earlier1',
    dynamic: false,
    manifest: join(root, 'launcher.yaml'),
    root,
    startedAt: new Date().toISOString(),
    supervisor: opts.supervisor ?? (await deadProcess()),
    watchdog: null,
    services: services.map((s) => ({
      name: s.name,
      state: 'ready',
      pid: s.pid,
      pgid: null,
      startTime: s.startTime,
      ports: { primary: s.port },
      url: `http://localhost:${s.port}`,
      startedAt: new Date().toISOString(),
      restarts: 0,
      exitCode: null,
      env: {},
    })),
  };
  writeState(sessionFile(root), state);
  return state;
}
