/**
 * Temporary folders and projects for tests, defined once: each is made under the OS's temp
 * folder and removed by `removeTempDirs()` (call it from afterEach or afterAll).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const dirs: string[] = [];

/** A fresh empty folder, `prefix` + a random suffix. */
export function tempDir(prefix = 'devlaunch-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

/** Removes every folder `tempDir` and `project` made. */
export function removeTempDirs(): void {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export interface ProjectOptions {
  /** Files beside the manifest, path → content; a path ending in `/` is a folder. */
  files?: Record<string, string>;
  /** Folder name prefix. Default `devlaunch-test-`. */
  prefix?: string;
}

export interface Project {
  root: string;
  /** `<root>/launcher.yaml` (written unless the manifest is null). */
  file: string;
  /** `<root>/.devlaunch/session.json`: the main session's state. */
  state: string;
  /** `<root>/.devlaunch/logs/<service>.log` */
  log(service: string): string;
}

/**
 * A temporary project: `manifest` as its launcher.yaml (text as written, an object as JSON,
 * which is YAML; null for none), and `files` beside it.
 */
export function project(manifest: string | object | null, opts: ProjectOptions = {}): Project {
  const root = tempDir(opts.prefix);
  const file = join(root, 'launcher.yaml');
  if (manifest !== null) {
    writeFileSync(
      file,
      typeof manifest === 'string' ? manifest : `${JSON.stringify(manifest, null, 2)}\n`,
    );
  }
  for (const [path, content] of Object.entries(opts.files ?? {})) {
    const full = join(root, path);
    if (path.endsWith('/')) {
      mkdirSync(full, { recursive: true });
      continue;
    }
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
  return {
    root,
    file,
    state: join(root, '.devlaunch', 'session.json'),
    log: (service) => join(root, '.devlaunch', 'logs', `${service}.log`),
  };
}
