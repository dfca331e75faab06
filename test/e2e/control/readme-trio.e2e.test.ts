/**
 * The README's "Replacing start/stop/check scripts" section, copied as it stands into a fresh
 * project with a `.env` and a real server: the manifest is valid, the port comes from `.env`,
 * and the three commands exit as the section says.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { fixturesDir, repoRoot } from '../../helpers/cli.js';
import { freePort } from '../../helpers/ports.js';
import { cleanupTracked, survivors } from '../../helpers/processes.js';
import {
  cli,
  ensureCliBuilt,
  project,
  removeProjects,
  status,
  trackSupervisor,
} from '../sessions/helpers.js';

beforeAll(ensureCliBuilt, 120_000);
vi.setConfig({ testTimeout: 90_000 });

afterEach(async () => {
  await cleanupTracked();
  removeProjects();
});

/** The code blocks of the README section titled `title`, by language. */
function section(title: string): { yaml: string; sh: string } {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const start = readme.indexOf(`## ${title}`);
  expect(start, `README has a "${title}" section`).toBeGreaterThan(-1);
  const end = readme.indexOf('\n## ', start + 3);
  const text = readme.slice(start, end === -1 ? undefined : end);
  const block = (lang: string) =>
    new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``).exec(text)?.[1] ?? '';
  return { yaml: block('yaml'), sh: block('sh') };
}

describe('README: replacing start/stop/check scripts', () => {
  it('works as written in a fresh project', async () => {
    const { yaml, sh } = section('Replacing start/stop/check scripts');
    const commands = sh
      .split('\n')
      .map((l) => l.replace(/#.*$/, '').trim())
      .filter((l) => l !== '');
    expect(commands).toEqual(['devlaunch up -d', 'devlaunch status', 'devlaunch down']);

    const port = await freePort();
    const p = project({ services: {} });
    writeFileSync(p.file, yaml);
    writeFileSync(join(p.root, '.env'), `BACKEND_PORT=${port}\n`);
    writeFileSync(join(p.root, 'package.json'), '{ "type": "module" }\n');
    copyFileSync(join(fixturesDir, 'server.mjs'), join(p.root, 'server.js'));
    const run = (line: string) => cli(p, line.split(' ').slice(1));

    const up = await run(commands[0]!);
    expect(up.code, up.stderr).toBe(0);
    const st = await status(p);
    trackSupervisor(st);
    expect(st.services[0]?.ports.primary).toBe(port);
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);

    const check = await run(commands[1]!);
    expect(check.code, check.stderr).toBe(0);
    expect(check.stdout).toMatch(/backend\s+ready/);

    const again = await run(commands[0]!);
    expect(again.code).toBe(3); // already running

    const down = await run(commands[2]!);
    expect(down.code, down.stderr).toBe(0);
    expect((await run(commands[1]!)).code).toBe(3); // not running
    expect(survivors(p.marker)).toEqual([]);
  });
});
