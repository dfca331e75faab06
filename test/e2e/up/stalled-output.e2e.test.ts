/**
 * devlaunch's output behind a reader that stops reading: a pipe nobody drains, a terminal
 * (pseudo-terminal) whose reader is paused, and a terminal that closes. devlaunch keeps
 * reading its services (they finish while nothing is read), keeps its memory bounded, and
 * delivers every line in order once the reader resumes; it never makes the terminal it shares
 * non-blocking; a closed terminal ends the session with exit 129 and plain, complete logs.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { closeSync, constants, existsSync, openSync, readFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cliPath } from '../../helpers/cli.js';
import { cleanupTracked, survivors, trackMarker, waitFor } from '../../helpers/processes.js';
import { ensureCliBuilt, fixture, nodeFixture, project, removeProjects } from './helpers.js';

beforeAll(ensureCliBuilt, 120_000);

const tmuxSockets: string[] = [];
const started: ChildProcess[] = [];
afterEach(async () => {
  for (const socket of tmuxSockets.splice(0)) {
    try {
      execFileSync('tmux', ['-L', socket, 'kill-server'], { stdio: 'ignore' });
    } catch {} // already gone
  }
  for (const child of started.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  await cleanupTracked();
  removeProjects();
});

const LINES = 1_500_000;
/** A flood bigger than what devlaunch holds in memory (4 MiB per destination). */
function floodProject() {
  return project({
    services: {
      // The service stays up after its flood, so the session lasts until the test stops it.
      one: {
        command: `${process.execPath} ${fixture('lines.mjs')}; exec sleep 120`,
        env: { LINES: String(LINES) },
      },
    },
  });
}

function statusOf(pid: number, field: string): number {
  const status = readFileSync(`/proc/${pid}/status`, 'latin1');
  return Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? Number.NaN);
}

/** The devlaunch process carrying `marker` (not its watchdog, not `script`, not a service). */
function devlaunchPid(marker: string): number | null {
  for (const pid of survivors(marker)) {
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0');
      if (argv[1] === cliPath && argv[2] === 'up') return pid;
    } catch {}
  }
  return null;
}

/** Checks `text` holds `one | line 1` … `one | line N` in order, then `one | DONE N`. */
function fault(text: string): string | null {
  let next = 1;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    const m = /^one \| (?:line (\d+)|DONE (\d+))$/.exec(line);
    if (m === null) continue;
    if (m[2] !== undefined) return next === LINES + 1 ? null : `DONE after line ${next - 1}`;
    if (Number(m[1]) !== next) return `line ${m[1]} where line ${next} was due`;
    next += 1;
  }
  return `no DONE line (last line ${next - 1})`;
}

/**
 * Runs `argv` with stdout a named pipe (as `devlaunch up | less` has: Node's own 'pipe' is a
 * socket pair) that this test does not read until `resume()`.
 */
function startPaused(argv: string[], cwd: string, marker: string) {
  const [key, value] = marker.split('=') as [string, string];
  const fifo = join(cwd, 'out.fifo');
  execFileSync('mkfifo', [fifo]);
  const reader = new Socket({
    fd: openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK),
    readable: true,
    writable: false,
  });
  reader.pause();
  const writer = openSync(fifo, 'w');
  const child = spawn(argv[0] as string, argv.slice(1), {
    cwd,
    env: { ...process.env, [key]: value, NO_COLOR: '1' },
    stdio: ['ignore', writer, 'ignore'],
  });
  closeSync(writer);
  started.push(child);
  const chunks: Buffer[] = [];
  let tail = '';
  const ended = new Promise<void>((resolve) => reader.on('end', resolve));
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (code) => resolve(code)),
  );
  return {
    exited: exited.then(async (code) => {
      await ended;
      return code;
    }),
    resume() {
      reader.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        tail = (tail + chunk.toString('latin1')).slice(-200);
      });
      reader.resume();
    },
    /** The last bytes read. */
    tail: () => tail,
    text: () => Buffer.concat(chunks).toString('utf8'),
  };
}

describe('devlaunch up behind a stalled reader', () => {
  it.each([
    ['a pipe', (cmd: string) => [process.execPath, cliPath, ...cmd.split(' ')]],
    [
      'a pseudo-terminal',
      (cmd: string) => ['script', '-qfec', `${process.execPath} ${cliPath} ${cmd}`, '/dev/null'],
    ],
  ] as const)(
    '%s: a service floods unread, memory stays bounded, all lines arrive in order',
    async (_label, argv) => {
      const p = floodProject();
      const marker = `TEST_MARKER=${randomUUID()}`;
      trackMarker(marker);
      const run = startPaused(argv('up'), p.root, marker);
      // The service finishes its flood while nobody reads devlaunch's output: devlaunch kept
      // reading it (and its log is complete meanwhile).
      const log = join(p.root, '.devlaunch', 'logs', 'one.log');
      await waitFor(
        () => existsSync(log) && readFileSync(log, 'utf8').endsWith(`line ${LINES}\n`),
        {
          timeoutMs: 60_000,
          what: 'the service to finish writing while the reader is stalled',
        },
      );
      const pid = await waitFor(() => devlaunchPid(marker), { what: 'the devlaunch process' });
      // Generous: the output is ~28 MB; devlaunch holds a few MB of it, the rest waits on disk.
      expect(statusOf(pid, 'VmHWM') * 1024).toBeLessThan(250e6);
      // The descriptor devlaunch shares with the terminal or pipe stays blocking (O_NONBLOCK is
      // 04000 in the octal `flags` of fdinfo).
      const flags = /^flags:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/fdinfo/1`, 'latin1'))?.[1];
      expect(Number.parseInt(flags ?? '', 8) & 0o4000).toBe(0);
      run.resume();
      const last = new RegExp(`one \\| line ${LINES}\r?\n`);
      await waitFor(() => last.test(run.tail()), {
        timeoutMs: 60_000,
        what: 'the reader to get every line',
      });
      process.kill(pid, 'SIGINT');
      expect(await run.exited).toBe(130);
      expect(fault(run.text())).toBeNull();
    },
    120_000,
  );
});

describe('devlaunch up when its terminal closes', () => {
  it('tmux kill-session under coloured output: exit 129, nothing left, logs plain and complete', async () => {
    const p = project({
      services: {
        web: { command: nodeFixture('chatty-color.mjs') },
        api: { command: nodeFixture('chatty-color.mjs') },
      },
    });
    const marker = `TEST_MARKER=${randomUUID()}`;
    trackMarker(marker);
    const socket = `devlaunch-hup-${randomUUID().slice(0, 8)}`;
    tmuxSockets.push(socket);
    const rc = join(p.root, 'rc');
    // An interactive shell, as in a terminal window: it passes SIGHUP on to its jobs. The
    // wrapper survives the hang-up to record devlaunch's exit status.
    execFileSync(
      'tmux',
      [
        '-L',
        socket,
        'new-session',
        '-d',
        '-s',
        'up',
        '-x',
        '150',
        '-y',
        '40',
        'bash --norc --noprofile -i',
      ],
      { cwd: p.root },
    );
    const line = `sh -c 'trap : HUP; env ${marker} FORCE_COLOR=1 ${process.execPath} ${cliPath} up; echo $? > ${rc}'`;
    execFileSync('tmux', ['-L', socket, 'send-keys', '-t', 'up', line, 'Enter']);
    const printed = (service: string) => {
      const log = join(p.root, '.devlaunch', 'logs', `${service}.log`);
      return existsSync(log) && readFileSync(log, 'utf8').includes('/x 2000\n');
    };
    await waitFor(() => printed('web') && printed('api'), {
      timeoutMs: 20_000,
      what: 'both services to print',
    });
    execFileSync('tmux', ['-L', socket, 'kill-session', '-t', 'up']);
    await waitFor(() => existsSync(rc) && readFileSync(rc, 'utf8').trim() !== '', {
      timeoutMs: 20_000,
      what: 'devlaunch to exit after the terminal closed',
    });
    expect(readFileSync(rc, 'utf8').trim()).toBe('129');
    await waitFor(() => survivors(marker).length === 0, {
      timeoutMs: 5000,
      what: 'no process left',
    });
    for (const service of ['web', 'api']) {
      const text = readFileSync(join(p.root, '.devlaunch', 'logs', `${service}.log`), 'utf8');
      expect(text).not.toContain('\u001b');
      const lines = text.split('\n');
      expect(lines.pop()).toBe('');
      // Every line, in order, none empty (the control-only lines are left out).
      expect(lines.every((l, i) => l === `GET /x ${i}`)).toBe(true);
      expect(lines.length).toBeGreaterThan(2000);
    }
  }, 60_000);
});
