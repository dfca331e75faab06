import { join } from 'node:path';
import { type CliOptions, fixturesDir, type StartedCli, startCli } from '../../helpers/cli.js';
import { canBind, freePort } from '../../helpers/ports.js';
import { survivors, waitFor } from '../../helpers/processes.js';
import { type Project, removeTempDirs, project as testProject } from '../../helpers/project.js';

/** A temporary project with `manifest` as its launcher.yaml, and `files` beside it. */
export function project(manifest: object, files: Record<string, string> = {}): Project {
  return testProject(manifest, { files, prefix: 'devlaunch-up-' });
}

export type { Project };
export { removeTempDirs as removeProjects };

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

/**
 * Waits until `port` cannot be bound (a service listens on it). Only once devlaunch has
 * resolved its ports: its own probes bind each port for an instant before anything starts.
 */
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
 * `up` of a server started by a shell with a background grandchild (`shell`) and a three-deep
 * process tree (`tree`), once all are ready; `running` is every process of the session then.
 */
export async function upWithTrees(): Promise<{
  cli: StartedCli;
  ports: number[];
  running: number[];
}> {
  const ports = [await freePort(), await freePort()];
  const p = project({
    stop_timeout: '1s',
    services: {
      shell: {
        command: `sleep 300 & exec ${process.execPath} ${fixture('server.mjs')}`,
        port: ports[0],
      },
      tree: { command: nodeFixture('spawn-grandchild.mjs'), port: ports[1] },
    },
  });
  const cli = up(p);
  await cli.stdout.waitFor(/all services ready/, 15_000);
  return { cli, ports, running: leftovers(cli) };
}

export { ensureCliBuilt } from '../../helpers/build.js';
export { bindable, busyPorts } from '../../helpers/ports.js';
