/**
 * The watchdog's shell stage (POSIX): it keeps devlaunch's messages and starts the Node
 * watchdog only when devlaunch is gone or it gets SIGTERM, handing it every line as it came,
 * and starts it again if a signal killed it before it finished. Here NODE SCRIPT is a recorder
 * that writes what it read on stdin to a file, then ends as the test planned, so the hand-over
 * itself is checked (the full watchdog is in watchdog.test.ts and up/watchdog-boot.e2e.test.ts).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SHELL_STAGE } from '../../../src/process/watchdog.js';
import { cleanupTracked, isAlive, track, waitFor } from '../../helpers/processes.js';

const posix = process.platform !== 'win32';
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'devlaunch-stage-'));
});
afterEach(async () => {
  await cleanupTracked();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * The stage with a recorder as its second stage: `got` holds its stdin, pid, parent and run
 * number once it ran. Run n then ends as `plan[n - 1]` says: killed by that signal, exits with
 * that code (0 past the plan's end), or `hold`: exits 0 once release() was called.
 */
function startStage(plan: string[] = []) {
  const recorder = join(dir, 'recorder.cjs');
  const got = join(dir, 'got.json');
  const runs = join(dir, 'runs');
  const release = join(dir, 'release');
  writeFileSync(
    recorder,
    `const fs = require('node:fs');
const run = (fs.existsSync(${JSON.stringify(runs)}) ? Number(fs.readFileSync(${JSON.stringify(runs)}, 'utf8')) : 0) + 1;
fs.writeFileSync(${JSON.stringify(runs)}, String(run));
const end = ${JSON.stringify(plan)}[run - 1] ?? '0';
let text = '';
process.stdin.on('data', (c) => { text += c; });
process.stdin.on('end', () => {
  fs.writeFileSync(${JSON.stringify(got)}, JSON.stringify({ pid: process.pid, ppid: process.ppid, run, text }));
  if (end.startsWith('SIG')) process.kill(process.pid, end);
  else if (end === 'hold') setInterval(() => fs.existsSync(${JSON.stringify(release)}) && process.exit(0), 10);
  else process.exit(Number(end));
});
`,
  );
  const child = spawn(
    '/bin/sh',
    ['-c', SHELL_STAGE, 'devlaunch-watchdog', process.execPath, recorder],
    {
      stdio: ['pipe', 'ignore', 'inherit'],
      detached: true,
    },
  );
  track(child.pid);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const result = () =>
    JSON.parse(readFileSync(got, 'utf8')) as {
      pid: number;
      ppid: number;
      run: number;
      text: string;
    };
  return {
    child,
    pid: child.pid!,
    got,
    exited,
    result,
    release: () => writeFileSync(release, ''),
  };
}

/** The stage is blocked reading its stdin (so its traps are set and every line so far was read). */
function waitingForInput(pid: number): boolean {
  try {
    const wchan = readFileSync(`/proc/${pid}/wchan`, 'utf8');
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // stdin is a socket pair as devlaunch makes it (Node's 'pipe'), or a pipe.
    return (
      /pipe|unix_stream_read/.test(wchan) && stat.slice(stat.lastIndexOf(')') + 2).startsWith('S')
    );
  } catch {
    return false;
  }
}

// Lines with what a shell would otherwise expand or strip: quotes, $, backquotes, backslashes.
const lines = [
  '{"type":"watch","pid":101,"session":"s$HOME`id`\\\\n","signal":"SIGTERM"}',
  '{"type":"unwatch","pid":101}',
  '  {"type":"watch","pid":102}  ',
];

describe.runIf(posix)('watchdog shell stage', () => {
  it('at end-of-file, starts the second stage as its child with every line as it came, and exits with its status', async () => {
    const stage = startStage();
    stage.child.stdin!.write(`${lines.join('\n')}\n`);
    await waitFor(() => waitingForInput(stage.pid), { what: 'the stage to wait for more input' });
    expect(existsSync(stage.got)).toBe(false); // no Node start while devlaunch lives
    stage.child.stdin!.end();
    expect(await stage.exited).toBe(0);
    const { ppid, run, text } = stage.result();
    expect(ppid).toBe(stage.pid);
    expect(run).toBe(1);
    expect(text.split('\n').filter((l) => l !== '')).toEqual(lines);
  });

  it('exits on the exit line without starting the second stage', async () => {
    const stage = startStage();
    stage.child.stdin!.write(`${lines[0]}\n{"type":"exit"}\n`);
    expect(await stage.exited).toBe(0);
    expect(existsSync(stage.got)).toBe(false);
  });

  it('ignores SIGINT and SIGHUP; SIGTERM hands the lines over at once', async () => {
    const stage = startStage();
    stage.child.stdin!.write(`${lines[0]}\n`);
    await waitFor(() => waitingForInput(stage.pid), { what: 'the stage to wait for more input' });
    process.kill(stage.pid, 'SIGINT');
    process.kill(stage.pid, 'SIGHUP');
    await waitFor(() => waitingForInput(stage.pid), { what: 'the stage to read on after them' });
    expect(isAlive(stage.pid)).toBe(true);
    process.kill(stage.pid, 'SIGTERM');
    await waitFor(() => existsSync(stage.got), { what: 'the second stage to have read its stdin' });
    const { ppid, text } = stage.result();
    expect(ppid).toBe(stage.pid);
    expect(text.split('\n').filter((l) => l !== '')).toEqual([lines[0]]);
  });

  it('starts the second stage again, with the same lines, each time SIGTERM, SIGINT or SIGHUP killed it', async () => {
    const stage = startStage(['SIGTERM', 'SIGINT', 'SIGHUP']);
    stage.child.stdin!.end(`${lines.join('\n')}\n`);
    expect(await stage.exited).toBe(0);
    const { run, text } = stage.result();
    expect(run).toBe(4);
    expect(text.split('\n').filter((l) => l !== '')).toEqual(lines);
  });

  it.each([
    ['exits with a code', '3', 3],
    ['is killed with SIGKILL', 'SIGKILL', 128 + 9],
  ])('does not start the second stage again when it %s', async (_, end, status) => {
    const stage = startStage([end]);
    stage.child.stdin!.end(`${lines[0]}\n`);
    expect(await stage.exited).toBe(status);
    expect(stage.result().run).toBe(1);
  });

  it('while the second stage runs, SIGTERM, SIGINT and SIGHUP to the stage change nothing', async () => {
    const stage = startStage(['hold']);
    stage.child.stdin!.end(`${lines[0]}\n`);
    await waitFor(() => existsSync(stage.got), { what: 'the second stage to have read its stdin' });
    for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.kill(stage.pid, signal);
    stage.release();
    expect(await stage.exited).toBe(0);
    expect(stage.result().run).toBe(1);
  });
});
