/**
 * `devlaunch logs [SERVICE...] [-f] [-n N]`, the use case: what the services of the current or
 * last session printed, prefixed as `up` prints it. Reads `.devlaunch/logs/`; with -f keeps
 * printing what is appended until Ctrl+C.
 */
import { closeSync, existsSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, type Writable } from 'node:stream';
import { DevlaunchError } from '../errors.js';
import { ServiceOutput } from '../output/index.js';
import { checkServiceNames } from '../plan/graph.js';
import { lastDynamicLogsDir, lastDynamicSession, logsDir } from '../state/index.js';
import { onStopSignals } from '../supervisor/signals.js';
import { findSession, findSessionById } from './find.js';
import type { CommandContext, LogsArgs } from './options.js';
import { stateProject } from './project.js';

const FOLLOW_POLL_MS = 200;

/**
 * Prints the logs asked for to `out` (with colour when `color`); with `--follow`, keeps printing
 * until a stop signal.
 */
export async function showLogs(
  args: LogsArgs,
  ctx: CommandContext,
  out: { stream: Writable; color: boolean },
): Promise<void> {
  const { root, manifest, name } = stateProject(
    { file: args.file, cwd: ctx.cwd, env: ctx.env },
    ctx.warn,
  );
  if (manifest) checkServiceNames(manifest, args.services);
  const dir = logsFolder(root, args.session);
  const wanted =
    args.services.length > 0
      ? args.services
      : manifest
        ? Object.keys(manifest.services)
        : loggedServices(dir);
  const files = wanted
    .map((service) => ({ name: service, path: join(dir, `${service}.log`) }))
    .filter((f) => existsSync(f.path));
  if (files.length === 0) {
    ctx.say(`no logs yet for ${name} (they are written by devlaunch up and run to ${dir})`);
    return;
  }
  const output = new ServiceOutput({
    out: out.stream,
    color: out.color,
    names: files.map((f) => f.name),
    logDir: null,
  });
  const tails = files.map((f) => {
    const stream = new PassThrough();
    output.attach(f.name, stream, 'stdout');
    const text = readFrom(f.path, 0);
    stream.write(args.lines === undefined ? text.data : lastLines(text.data, args.lines));
    return { ...f, stream, offset: text.end };
  });
  if (!args.follow) {
    for (const t of tails) t.stream.end();
    await output.close();
    return;
  }
  // Follow: poll each file for what was appended (works the same on every platform and on
  // files rewritten by a new session, which start over at offset 0).
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      for (const t of tails) {
        const size = existsSync(t.path) ? statSync(t.path).size : 0;
        if (size < t.offset) t.offset = 0;
        if (size === t.offset) continue;
        const more = readFrom(t.path, t.offset);
        t.offset = more.end;
        t.stream.write(more.data);
      }
    }, FOLLOW_POLL_MS);
    const remove = onStopSignals(() => {
      clearInterval(timer);
      remove();
      resolve();
    });
  });
  for (const t of tails) t.stream.end();
  await output.close();
}

/**
 * Whose logs: `--session ID` (running, or the last finished --dynamic one); else the running
 * session (the main one, or the newest --dynamic one); else the last that ended, main or
 * --dynamic, whichever wrote last.
 */
function logsFolder(root: string, id: string | undefined): string {
  const running = findSession(root);
  if (id !== undefined) {
    const live = running?.state.session === id ? running : findSessionById(root, id);
    if (live) return logsDir(root, live.state.dynamic ? id : undefined);
    if (lastDynamicSession(root) === id) return lastDynamicLogsDir(root);
    throw new DevlaunchError('USAGE', `no logs of a session ${id} are kept`, {
      hint: 'devlaunch keeps the logs of running sessions, of the last main session and of the last --dynamic one that ended.',
    });
  }
  if (running) return logsDir(root, running.state.dynamic ? running.state.session : undefined);
  const main = logsDir(root);
  const dynamic = lastDynamicLogsDir(root);
  return newestWrite(dynamic) > newestWrite(main) ? dynamic : main;
}

/** When a file in `dir` was last written (0 when none). */
function newestWrite(dir: string): number {
  try {
    return Math.max(0, ...readdirSync(dir).map((f) => statSync(join(dir, f)).mtimeMs));
  } catch {
    return 0;
  }
}

/** The services with a log file in `dir` (without a valid manifest to name them). */
function loggedServices(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith('.log') && f !== 'supervisor.log')
      .map((f) => f.slice(0, -'.log'.length))
      .sort();
  } catch {
    return [];
  }
}

function readFrom(path: string, offset: number): { data: Buffer; end: number } {
  const fd = openSync(path, 'r');
  try {
    const size = statSync(path).size;
    const data = Buffer.alloc(Math.max(0, size - offset));
    const read = data.length > 0 ? readSync(fd, data, 0, data.length, offset) : 0;
    return { data: data.subarray(0, read), end: offset + read };
  } finally {
    closeSync(fd);
  }
}

/** The last `n` lines of `data` (a final line without a newline counts). */
export function lastLines(data: Buffer, n: number): Buffer {
  if (n <= 0) return Buffer.alloc(0);
  let end = data.length;
  if (end > 0 && data[end - 1] === 0x0a) end -= 1;
  let at = end;
  for (let i = 0; i < n; i++) {
    const nl = data.lastIndexOf(0x0a, at - 1);
    if (nl === -1) return data;
    at = nl;
    if (i === n - 1) return data.subarray(nl + 1);
  }
  return data;
}
