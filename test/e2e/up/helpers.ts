/**
 * Helpers for the end-to-end tests of `devlaunch up`: a temporary project per test (the manifest
 * is written as JSON, which is YAML), the built CLI started on it (tracked for cleanup), the
 * fixtures' paths, and the checks every test ends with: nothing carrying the test's marker is
 * alive, and every port can be bound again on both loopback addresses.
 */
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type CliOptions,
  fixturesDir,
  repoRoot,
  type StartedCli,
  startCli,
} from '../../helpers/cli.js';
import { canBind } from '../../helpers/ports.js';
import { survivors, waitFor } from '../../helpers/processes.js';

const dirs: string[] = [];

export interface Project {
  root: string;
  file: string;
  /** `<root>/.devlaunch/logs/<service>.log` */
  log(service: string): string;
}

/** A temporary project with `manifest` as its launcher.yaml, and `files` beside it. */
export function project(manifest: object, files: Record<string, string> = {}): Project {
  const root = mkdtempSync(join(tmpdir(), 'devlaunch-up-'));
  dirs.push(root);
  const file = join(root, 'launcher.yaml');
  writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, name), text);
  return { root, file, log: (service) => join(root, '.devlaunch', 'logs', `${service}.log`) };
}

export function removeProjects(): void {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Absolute path of a fixture program. */
export function fixture(name: string): string {
  return join(fixturesDir, name);
}

/** A list command running a fixture with this very Node. */
export function nodeFixture(name: string): string[] {
  return [process.execPath, fixture(name)];
}

/** `devlaunch up -f <project>/launcher.yaml ...args`, run from the project root. */
export function up(p: Project, args: string[] = [], opts: CliOptions = {}): StartedCli {
  return startCli(['up', '-f', p.file, ...args], { cwd: p.root, ...opts });
}

/** Ports bindable on 127.0.0.1 and ::1 (where the machine has IPv6). */
export async function bindable(port: number): Promise<boolean> {
  if (!(await canBind(port, '127.0.0.1'))) return false;
  return (await canBind(port, '::1')) || !hasIpv6();
}

let ipv6: boolean | undefined;
function hasIpv6(): boolean {
  ipv6 ??= existsSync('/proc/net/if_inet6');
  return ipv6;
}

/** Ports of `ports` that cannot be bound right now. */
export async function busyPorts(ports: number[]): Promise<number[]> {
  const busy: number[] = [];
  for (const port of ports) if (!(await bindable(port))) busy.push(port);
  return busy;
}

/** Waits until `port` accepts connections (a service listens on it). */
export async function waitListening(port: number, timeoutMs = 10_000): Promise<void> {
  await waitFor(async () => !(await canBind(port, '127.0.0.1')), {
    timeoutMs,
    what: `port ${port} to be listened on`,
  });
}

/** `STARTED <epoch ms>` of server.mjs, from devlaunch's prefixed output. */
export function startedAt(lines: readonly string[], service: string): number {
  const re = new RegExp(`^${service}\\s*\\| STARTED (\\d+)$`);
  for (const line of lines) {
    const m = re.exec(line);
    if (m) return Number(m[1]);
  }
  throw new Error(`no STARTED line of ${service} in:\n${lines.join('\n')}`);
}

/** Index of the first line matching `re`; -1 if none. */
export function indexOf(lines: readonly string[], re: RegExp): number {
  return lines.findIndex((line) => re.test(line));
}

/** The processes still carrying the test's marker (the CLI, the watchdog, any service). */
export function leftovers(cli: StartedCli): number[] {
  return survivors(cli.marker);
}

/**
 * The built CLI, rebuilt (once, under a lock shared by the test workers) when dist/ is missing
 * or older than src/. A build that fails on someone else's unfinished file falls back to the
 * existing dist/ with a warning rather than failing every test.
 */
export async function ensureCliBuilt(): Promise<void> {
  const main = join(repoRoot, 'dist', 'cli', 'main.js');
  const stale = () => !existsSync(main) || statSync(main).mtimeMs < newest(join(repoRoot, 'src'));
  if (!stale()) return;
  const lock = join(repoRoot, 'node_modules', '.cache', 'devlaunch-up-build.lock');
  mkdirSync(join(lock, '..'), { recursive: true });
  await waitFor(
    () => {
      try {
        mkdirSync(lock);
        return true;
      } catch {
        // A lock older than a minute belongs to a worker that died mid-build.
        const since = statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
        if (Date.now() - since > 60_000) {
          rmSync(lock, { recursive: true, force: true });
        }
        return false;
      }
    },
    { timeoutMs: 60_000, intervalMs: 100, what: 'the build lock' },
  );
  try {
    if (!stale()) return;
    try {
      execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: repoRoot, stdio: 'pipe' });
    } catch (error) {
      if (!existsSync(main)) throw error;
      console.warn(`npm run build failed; testing the existing dist/:\n${String(error)}`);
    }
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function newest(dir: string): number {
  let max = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const t = entry.isDirectory()
      ? newest(path)
      : (statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? 0);
    if (t > max) max = t;
  }
  return max;
}
