/**
 * Doctor: the OS facilities devlaunch relies on to find port holders and to recognise its own
 * processes. Linux reads /proc (ss and lsof are only fallbacks for sockets /proc does not
 * attribute); macOS asks lsof and ps. Windows: windows-checks.ts (the Win32 API, and whether
 * netstat, tasklist and netsh actually work).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { type CheckResult, error, ok, warn } from './check.js';
import { findOnPath } from './find-tool.js';

type Need = 'required' | 'useful' | 'fallback';

interface Tool {
  name: string;
  need: Need;
  /** What devlaunch uses it for. */
  use: string;
}

const TOOLS: Partial<Record<NodeJS.Platform, Tool[]>> = {
  linux: [
    { name: 'ss', need: 'fallback', use: 'port holders /proc cannot attribute' },
    { name: 'lsof', need: 'fallback', use: 'port holders when ss does not name them' },
  ],
  darwin: [
    { name: 'lsof', need: 'required', use: 'which process holds a port' },
    { name: 'ps', need: 'required', use: 'process identity (pid and start time)' },
  ],
};

export function checkTools(
  platform: NodeJS.Platform = process.platform,
  find: (name: string) => string | null = (name) => findOnPath(name),
): CheckResult[] {
  const results: CheckResult[] = [];
  if (platform === 'win32') return results; // see windows-checks.ts
  if (platform === 'linux') results.push(checkProc());
  // Other POSIX systems are handled like macOS: lsof and ps.
  const tools = TOOLS[platform] ?? TOOLS.darwin ?? [];
  for (const tool of tools) {
    const check = `tool ${tool.name}`;
    const at = find(tool.name);
    if (at !== null) {
      results.push(ok(check, `${at} (for ${tool.use})`));
      continue;
    }
    const missing = `${tool.name} is not on PATH`;
    if (tool.need === 'fallback') {
      results.push(ok(check, `${missing}: fine, it is only a fallback (for ${tool.use})`));
    } else if (tool.need === 'useful') {
      results.push(
        warn(
          check,
          `${missing}: devlaunch will do without ${tool.use}`,
          `Install ${tool.name} or put it on PATH.`,
        ),
      );
    } else {
      results.push(
        error(
          check,
          `${missing}: devlaunch cannot tell ${tool.use}`,
          `Install ${tool.name} or put it on PATH.`,
        ),
      );
    }
  }
  return results;
}

/** /proc must be readable: port holders (/proc/net/tcp, /proc/PID/fd) and process identity. */
function checkProc(): CheckResult {
  const check = 'tool /proc';
  try {
    readFileSync('/proc/net/tcp', 'utf8');
    readFileSync('/proc/self/stat', 'utf8');
    readdirSync('/proc');
  } catch (caught) {
    return error(
      check,
      `/proc cannot be read (${(caught as NodeJS.ErrnoException).code ?? String(caught)}): devlaunch cannot find port holders or recognise its own processes`,
      'Run devlaunch where /proc is mounted and readable (a container or sandbox may hide it).',
    );
  }
  return ok(check, 'readable (port holders and process identity come from /proc)');
}
