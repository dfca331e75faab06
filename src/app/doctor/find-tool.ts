/** Whether a program is on PATH, found the way a shell would find it (PATHEXT on Windows). */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The full path of `name` on `PATH`, or null. Nothing is run. */
export function findOnPath(
  name: string,
  env: Record<string, string | undefined> = process.env,
  platform: NodeJS.Platform = process.platform,
): string | null {
  const windows = platform === 'win32';
  // Windows spells it Path; environment names are case-insensitive there.
  const pathKey = windows
    ? (Object.keys(env).find((k) => k.toUpperCase() === 'PATH') ?? 'PATH')
    : 'PATH';
  const dirs = (env[pathKey] ?? '').split(windows ? ';' : delimiter).filter((d) => d !== '');
  const extensions = windows
    ? ['', ...(env.PATHEXT ?? '.COM;.EXE;.BAT;.CMD').split(';').filter((e) => e !== '')]
    : [''];
  for (const dir of dirs) {
    for (const ext of extensions) {
      const candidate = join(dir, name + ext);
      if (isExecutable(candidate, windows)) return candidate;
    }
  }
  return null;
}

function isExecutable(path: string, windows: boolean): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    if (!windows) accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
