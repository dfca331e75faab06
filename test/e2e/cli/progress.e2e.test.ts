/**
 * Waiting for a slow service, with the built CLI: a terminal (tmux) shows one progress line
 * updated in place; a pipe gets a line every few seconds at most, with `up` and with `up -d`.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { cliPath } from '../../helpers/cli.js';
import { freePort } from '../../helpers/ports.js';
import { cleanupTracked, survivors, trackMarker, waitFor } from '../../helpers/processes.js';
import {
  cli,
  ensureCliBuilt,
  nodeFixture,
  type Project,
  project,
  removeProjects,
  startDevlaunch,
  status,
  trackSupervisor,
} from '../sessions/helpers.js';

beforeAll(ensureCliBuilt, 120_000);
vi.setConfig({ testTimeout: 60_000 });

const sockets: string[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) {
    try {
      execFileSync('tmux', ['-L', socket, 'kill-server'], { stdio: 'ignore' });
    } catch {} // already gone
  }
  await cleanupTracked();
  removeProjects();
});

/** A service that listens (and so gets ready) only after `delayMs`. */
async function slowProject(delayMs: number): Promise<Project> {
  const port = await freePort();
  return project({
    services: {
      slow: {
        command: nodeFixture('server.mjs'),
        port,
        env: { READY_DELAY_MS: String(delayMs) },
        ready: { http: '/health', timeout: '30s' },
        stop_timeout: '1s',
      },
    },
  });
}

const waitingLines = (text: string) => text.split('\n').filter((l) => l.includes('waiting for'));

describe('progress while waiting for readiness', () => {
  it('a terminal shows one line updated in place, never a new line a second', async () => {
    const p = await slowProject(9000);
    const marker = `TEST_MARKER=${randomUUID()}`;
    trackMarker(marker);
    const [projName, projValue] = p.marker.split('=') as [string, string];
    const socket = `devlaunch-progress-${randomUUID().slice(0, 8)}`;
    sockets.push(socket);
    const command = `env ${marker} ${projName}=${projValue} NO_COLOR=1 ${process.execPath} ${cliPath} up --no-dashboard -f ${p.file}`;
    execFileSync('tmux', [
      ...['-L', socket, 'new-session', '-d', '-s', 'up', '-x', '160', '-y', '40'],
      command,
    ]);
    const pane = () =>
      execFileSync('tmux', ['-L', socket, 'capture-pane', '-p', '-t', 'up'], {
        encoding: 'utf8',
      });
    // Seven seconds into the wait (it listens after nine): many updates happened.
    const during = await waitFor(
      () => {
        const text = pane();
        return /waiting for slow \(http \/health[^,]*, [78]\.\ds/.test(text) ? text : null;
      },
      { timeoutMs: 30_000, what: 'the progress line to reach 7 s' },
    );
    // Its own first line may come after the first progress line (a slow start): a new progress
    // line then follows, once; from there on it is updated in place. One a second would be 7.
    const started = during.indexOf('slow | STARTED');
    expect(started, during).toBeGreaterThan(-1);
    expect(waitingLines(during.slice(started)), during).toHaveLength(1);
    expect(waitingLines(during).length, during).toBeLessThanOrEqual(2);
    const after = await waitFor(
      () => {
        const text = pane();
        return text.includes('all services ready') ? text : null;
      },
      { timeoutMs: 20_000, what: 'all services ready' },
    );
    expect(after).toMatch(/ready slow in \d/);
    // The server's own "LISTENING" line came after the progress line, which so stays as it was.
    expect(waitingLines(after.slice(after.indexOf('slow | STARTED'))), after).toHaveLength(1);
    execFileSync('tmux', ['-L', socket, 'send-keys', '-t', 'up', 'C-c']);
    await waitFor(() => survivors(marker).length === 0 || null, {
      timeoutMs: 15_000,
      what: 'devlaunch and its service to stop after Ctrl+C',
    });
  });

  it('a pipe gets a line every few seconds, not one a second', async () => {
    const p = await slowProject(7000);
    const cli = startDevlaunch(p, ['up', '--no-dashboard', '-v']);
    await cli.stdout.waitFor(/all services ready/, 30_000);
    const lines = waitingLines(cli.stdout.text());
    // Seven seconds of waiting: a line at about 5 s (verbose used to print one a second).
    expect(lines.length, cli.stdout.text()).toBeGreaterThanOrEqual(1);
    expect(lines.length, cli.stdout.text()).toBeLessThanOrEqual(2);
    expect(cli.stdout.text()).not.toContain('\u001b[');
    process.kill(-cli.pid, 'SIGINT');
    expect((await cli.waitForExit(15_000)).code).toBe(130);
  });

  it('up -d into a pipe: a line every few seconds while waiting, then the ready line', async () => {
    const p = await slowProject(7000);
    const r = await cli(p, ['up', '-d', '--no-dashboard']);
    expect(r.code, r.stderr).toBe(0);
    trackSupervisor(await status(p));
    const lines = waitingLines(r.stderr);
    expect(lines.length, r.stderr).toBeGreaterThanOrEqual(1);
    expect(lines.length, r.stderr).toBeLessThanOrEqual(2);
    expect(r.stderr).toMatch(/ready slow in \d/);
    expect((await cli(p, ['down'])).code).toBe(0);
    expect(survivors(p.marker)).toEqual([]);
  });
});
