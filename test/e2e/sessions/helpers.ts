/**
 * Helpers for the end-to-end tests of sessions (`up -d`, `down`, `status`, `env`, `logs`, `run`,
 * crash recovery): a temporary project per test, the built CLI run on it (tracked for cleanup),
 * the session's state and its processes (supervisor, watchdog) found through /proc, and the
 * checks every test ends with: nothing carrying the test's marker is alive and every port binds.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  chmodSync,
  cpSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type CliOptions,
  type CliResult,
  fixturesDir,
  repoRoot,
  runCli,
  type StartedCli,
  startCli,
} from '../../helpers/cli.js';
import { LineReader } from '../../helpers/lines.js';
import { startProgram, track, trackMarker } from '../../helpers/processes.js';
import {
  removeTempDirs,
  type Project as TestProject,
  project as testProject,
} from '../../helpers/project.js';

export interface Project extends TestProject {
  /** In the environment of every CLI of this project, so of its services, supervisor and watchdog. */
  marker: string;
}

/** A temporary project with `manifest` as its launcher.yaml (JSON is YAML). */
export function project(manifest: object): Project {
  // Not TEST_MARKER: the CLI helpers set that one per CLI; this one spans every CLI of the project.
  const marker = `SESSION_TEST_PROJECT=${randomUUID()}`;
  trackMarker(marker);
  return { ...testProject(manifest, { prefix: 'devlaunch-sessions-' }), marker };
}

export { removeTempDirs as removeProjects };

/** A list command running a fixture with this very Node. */
export function nodeFixture(name: string): string[] {
  return [process.execPath, join(fixturesDir, name)];
}

/** An HTTP service (server.mjs) on `port`, ready on /health, with a short stop_timeout. */
export function server(port: number, extra: Record<string, unknown> = {}) {
  return {
    command: nodeFixture('server.mjs'),
    port,
    ready: { http: '/health', timeout: '10s' },
    stop_timeout: '800ms',
    ...extra,
  };
}

function markerEnv(p: Project, opts: CliOptions): CliOptions {
  const [name, value] = p.marker.split('=') as [string, string];
  return { cwd: p.root, ...opts, env: { ...opts.env, [name]: value } };
}

/**
 * `--file <manifest>` right after the command name: `-f` means --follow for `logs`, and
 * anything after `--` belongs to run's CMD.
 */
function withFile(p: Project, args: string[]): string[] {
  const [command, ...rest] = args;
  return command === undefined ? ['--file', p.file] : [command, '--file', p.file, ...rest];
}

/** `devlaunch <command> --file <manifest> <args>` run to completion from the project root. */
export function cli(p: Project, args: string[], opts: CliOptions = {}): Promise<CliResult> {
  return runCli(withFile(p, args), markerEnv(p, opts));
}

/** The same, started in the background (its own process group, tracked). */
export function startDevlaunch(p: Project, args: string[], opts: CliOptions = {}): StartedCli {
  return startCli(withFile(p, args), markerEnv(p, opts));
}

export interface ShellRun {
  child: ChildProcess;
  stdout: LineReader;
  stderr: LineReader;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null } | null>;
}

/** `sh -c script` with the project's marker; `exit` is null when it outlived `timeoutMs`. */
export function shell(p: Project, script: string, timeoutMs = 20_000): ShellRun {
  const [name, value] = p.marker.split('=') as [string, string];
  const child = spawn('sh', ['-c', script], {
    cwd: p.root,
    env: { ...process.env, NO_COLOR: '1', [name]: value },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  track(child.pid);
  const stdout = new LineReader(child.stdout!);
  const stderr = new LineReader(child.stderr!);
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null } | null>(
    (resolve) => {
      const timer = setTimeout(() => resolve(null), timeoutMs);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        resolve({ code, signal });
      });
    },
  );
  return { child, stdout, stderr, exit };
}

/** How the test runs the CLI from a shell: `command` is the subcommand, `args` the rest. */
export function shellCli(
  p: Project,
  command: string,
  args = '',
  bin = join(repoRoot, 'bin', 'devlaunch.js'),
): string {
  return `'${process.execPath}' '${bin}' ${command} --file '${p.file}' ${args}`;
}

let copiedCli: string | null = null;

/**
 * The built CLI at a path every user can read, for runs as another user (nobody): the checkout
 * may sit in a folder only its owner can enter (a fresh clone in a private temp folder). The
 * bundles carry their dependencies, so bin/, dist/ and package.json are all a run needs.
 */
export function cliForEveryone(): string {
  if (copiedCli !== null) return copiedCli;
  const dir = mkdtempSync(join(tmpdir(), 'devlaunch-cli-'));
  for (const part of ['bin', 'dist', 'package.json']) {
    cpSync(join(repoRoot, part), join(dir, part), { recursive: true });
  }
  const open = (path: string) => {
    chmodSync(path, statSync(path).isDirectory() ? 0o755 : 0o644);
    if (statSync(path).isDirectory()) for (const e of readdirSync(path)) open(join(path, e));
  };
  open(dir);
  copiedCli = join(dir, 'bin', 'devlaunch.js');
  return copiedCli;
}

/** Removes the copy made by `cliForEveryone`, if any. */
export function removeCliCopy(): void {
  if (copiedCli === null) return;
  rmSync(join(copiedCli, '..', '..'), { recursive: true, force: true });
  copiedCli = null;
}

export interface StatusService {
  name: string;
  state: string;
  pid: number | null;
  ports: Record<string, number>;
  url: string | null;
  startedAt: string | null;
  restarts: number;
  exitCode: number | null;
}

export interface Status {
  project: string;
  session: string | null;
  supervisor?: { pid: number } | null;
  services: StatusService[];
}

/**
 * `status --json`, parsed; fails the test on an exit code outside LSB status's 0 (healthy),
 * 1 (failed or unhealthy) and 3 (not running), or on anything besides JSON.
 */
export async function status(p: Project): Promise<Status> {
  const r = await cli(p, ['status', '--json']);
  if (![0, 1, 3].includes(r.code ?? -1)) {
    throw new Error(`status --json exited ${r.code}: ${r.stderr}`);
  }
  return JSON.parse(r.stdout) as Status;
}

/** Tracks the detached supervisor (and its group) of the running session for cleanup. */
export function trackSupervisor(s: Status): number {
  const pid = s.supervisor?.pid;
  if (pid === undefined || pid === null) throw new Error(`no supervisor in ${JSON.stringify(s)}`);
  track(pid);
  return pid;
}

/** Linux /proc: environment of a process (null if gone or unreadable). */
export function environOf(pid: number): Record<string, string> | null {
  try {
    const env: Record<string, string> = {};
    for (const entry of readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')) {
      const eq = entry.indexOf('=');
      if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
    }
    return env;
  } catch {
    return null;
  }
}

/** Linux /proc: the command line of a process ('' if gone). */
export function cmdlineOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

/** The session's watchdog: DEVLAUNCH_ROLE=watchdog and DEVLAUNCH_SESSION=<session>. */
export function findWatchdog(session: string): number | null {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const env = environOf(Number(entry));
    if (env?.DEVLAUNCH_ROLE === 'watchdog' && env.DEVLAUNCH_SESSION === session) {
      return Number(entry);
    }
  }
  return null;
}

/** Starts a plain node listener on `port` (not devlaunch's), tracked; resolves once listening. */
export async function squatter(port: number): Promise<number> {
  const { pid } = await startProgram(
    process.execPath,
    [
      '-e',
      `require('net').createServer((s)=>s.end()).listen(${port},'127.0.0.1',()=>console.log('SQUAT'))`,
    ],
    /^SQUAT$/,
    { detached: true },
  );
  return pid;
}

export { ensureCliBuilt } from '../../helpers/build.js';
export { bindable, busyPorts } from '../../helpers/ports.js';
