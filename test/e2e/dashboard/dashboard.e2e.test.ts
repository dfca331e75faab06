/// <reference lib="dom" />
/// <reference lib="dom" />
/**
 * The dashboard in a real headless browser (Debian's chromium through playwright-core) against
 * a real session: rows with states and ports, a new line without a reload, restart, stop and
 * start from the page, the real server's refusals, and `down` ending it. The screenshot is kept
 * in test-artifacts/ (and written to docs/dashboard.png with DEVLAUNCH_UPDATE_DOCS=1).
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../../helpers/cli.js';
import { canBind, freePort } from '../../helpers/ports.js';
import { cleanupTracked, waitFor } from '../../helpers/processes.js';
import {
  ensureCliBuilt,
  nodeFixture,
  type Project,
  project,
  removeProjects,
  up,
  waitListening,
} from '../up/helpers.js';
import { type Browser, chromiumMissing, launchChromium } from './browser.js';

const artifacts = join(repoRoot, 'test-artifacts');

// CI installs chromium (.ci/run); elsewhere a machine without it skips these tests.
const skip = chromiumMissing() && !process.env.CI;

let browser: Browser;

beforeAll(async () => {
  if (skip) return;
  await ensureCliBuilt();
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
});

afterEach(async () => {
  await cleanupTracked();
  removeProjects();
});

/** Status code and body of a GET with the given Host header. */
function get(port: number, path: string, host = `127.0.0.1:${port}`) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      let body = '';
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function cell(page: Page, service: string, column: number): Promise<string> {
  return page
    .locator(`tr[data-service="${service}"] td`)
    .nth(column)
    .innerText({ timeout: 10_000 });
}

function waitState(page: Page, service: string, state: string, timeout = 20_000) {
  return page.waitForFunction(
    ([name, wanted]) =>
      document.querySelector<HTMLElement>(`tr[data-service="${name}"]`)?.dataset.state === wanted,
    [service, state] as const,
    { timeout },
  );
}

async function twoServices(): Promise<{ p: Project; api: number; web: number }> {
  const [api, web] = [await freePort(), await freePort()];
  const p = project({
    name: 'dashboard-e2e',
    stop_timeout: '2s',
    services: {
      api: {
        command: nodeFixture('say-server.mjs'),
        port: api,
        env: { COLOR_SAY: '1' },
        ready: { http: '/health' },
      },
      web: {
        command: nodeFixture('say-server.mjs'),
        port: web,
        depends_on: ['api'],
        ready: { http: '/health' },
      },
    },
  });
  return { p, api, web };
}

describe.skipIf(skip)('the dashboard in a browser', () => {
  it('shows the services live, acts on them, and stops answering after down', async () => {
    const { p, api, web } = await twoServices();
    const cli = up(p);
    const found = await cli.stdout.waitFor(
      /^dashboard (http:\/\/127\.0\.0\.1:(\d+)\/\?token=[\w-]+)$/,
      30_000,
    );
    const [, url = '', portText] = found;
    const port = Number(portText);
    const status = await runCli(['status', '--json', '-f', p.file], { cwd: p.root });
    expect(JSON.parse(status.stdout).dashboard).toBe(url);
    // Without a terminal, `devlaunch dashboard` prints the URL.
    const opened = await runCli(['dashboard', '-f', p.file], { cwd: p.root });
    expect(opened.stdout.trim()).toBe(url);

    // The real server refuses what the unit tier refuses: no token, another Host.
    const token = new URL(url).searchParams.get('token') ?? '';
    expect((await get(port, '/api/state')).status).toBe(403);
    expect((await get(port, `/api/state?token=${token}`, `rebound.example:${port}`)).status).toBe(
      403,
    );

    const page = await browser.context.newPage();
    await page.goto(url);
    // Rows with their states and ports.
    await waitState(page, 'api', 'ready');
    await waitState(page, 'web', 'ready');
    expect(await cell(page, 'api', 4)).toBe(String(api));
    expect(await cell(page, 'web', 4)).toBe(String(web));
    expect(await cell(page, 'api', 1)).toMatch(/ready/);

    // A line printed now appears without a reload, its colours rendered.
    const marker = `hello-${Date.now()}`;
    await get(api, `/say?text=${marker}`);
    // Live, eventually: how fast is the bench's matter, not this test's.
    await page.getByText(marker).waitFor({ timeout: 15_000 });
    const color = await page
      .locator('#lines span', { hasText: 'said:' })
      .last()
      .evaluate((span) => (span as HTMLElement).style.color);
    expect(color).toContain('--ansi-1'); // red

    // A little more output for the screenshot.
    for (const text of ['GET /orders 200 12ms', 'GET /orders/42 404 3ms']) {
      await get(web, `/say?text=${encodeURIComponent(text)}`);
    }
    await page.getByText('GET /orders/42').waitFor({ timeout: 5000 });
    mkdirSync(artifacts, { recursive: true });
    const shot = join(artifacts, 'dashboard.png');
    await page.screenshot({ path: shot });
    if (process.env.DEVLAUNCH_UPDATE_DOCS === '1') {
      copyFileSync(shot, join(repoRoot, 'docs', 'dashboard.png'));
    }

    // Restart: a new pid, and the row comes back to ready.
    const oldPid = await cell(page, 'web', 3);
    await page.getByRole('button', { name: 'restart web', exact: true }).click();
    await page.waitForFunction(
      ([before]) => {
        const row = document.querySelector<HTMLElement>('tr[data-service="web"]');
        const pid = row?.querySelectorAll('td')[3]?.textContent;
        return row?.dataset.state === 'ready' && pid !== before && pid !== '-';
      },
      [oldPid] as const,
      { timeout: 20_000 },
    );
    await waitListening(web);

    // Stop frees the port; start brings it back.
    await page.getByRole('button', { name: 'stop web', exact: true }).click();
    await waitState(page, 'web', 'stopped');
    await waitFor(() => canBind(web), { timeoutMs: 10_000, what: `port ${web} to be free` });
    await page.getByRole('button', { name: 'start web', exact: true }).click();
    await waitState(page, 'web', 'ready');
    await waitListening(web);
    expect(await cell(page, 'api', 1)).toMatch(/ready/); // the other service went on

    // down: the session ends and the dashboard stops answering.
    const down = await runCli(['down', '-f', p.file], { cwd: p.root, timeoutMs: 30_000 });
    expect(down.code).toBe(0);
    await cli.waitForExit(20_000);
    await waitFor(
      () =>
        get(port, `/?token=${token}`).then(
          () => false,
          () => true,
        ),
      { timeoutMs: 5000, what: 'the dashboard to stop answering' },
    );
    await page.waitForFunction(
      () => /disconnected/.test(document.getElementById('conn')?.textContent ?? ''),
      undefined,
      { timeout: 10_000 },
    );
    await page.close();
  }, 120_000);

  it('is off with --no-dashboard', async () => {
    const { p } = await twoServices();
    const cli = up(p, ['--no-dashboard']);
    await cli.stdout.waitFor(/^web\s+http:/, 30_000); // the ready table
    expect(cli.stdout.text()).not.toMatch(/^dashboard /m);
    const status = await runCli(['status', '--json', '-f', p.file], { cwd: p.root });
    expect(JSON.parse(status.stdout).dashboard).toBeNull();
    const dashboard = await runCli(['dashboard', '-f', p.file], { cwd: p.root });
    expect(dashboard.code).not.toBe(0);
    expect(dashboard.stderr).toMatch(/serves no dashboard/);
    expect((await runCli(['down', '-f', p.file], { cwd: p.root, timeoutMs: 30_000 })).code).toBe(0);
    await cli.waitForExit(20_000);
  }, 60_000);
});
