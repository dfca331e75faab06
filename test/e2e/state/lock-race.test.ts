/**
 * Several real processes race for the same lock at the same moment, both for a free lock and
 * for a stale one: exactly one may win each time.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { lockFile } from '../../../src/state/index.js';
import { useTempRoot } from '../../unit/state/temp-root.js';

const root = useTempRoot();
const CONTENDERS = 5;
const STALE_PID = 999_999;
let bundleDir = '';
let script = '';
const children: ChildProcess[] = [];

beforeAll(async () => {
  bundleDir = mkdtempSync(join(tmpdir(), 'devlaunch-lock-race-'));
  const lock = join(bundleDir, 'lock.mjs');
  await build({
    entryPoints: [resolve('src/state/lock.ts')],
    outfile: lock,
    bundle: true,
    format: 'esm',
    platform: 'node',
    logLevel: 'warning',
  });
  // Each contender says READY, waits for "go" on stdin, tries once and reports.
  script = join(bundleDir, 'contender.mjs');
  writeFileSync(
    script,
    `import { acquireLock } from ${JSON.stringify(lock)};
const self = { pid: process.pid, startTime: 't' + process.pid, startedAt: new Date().toISOString() };
process.stdout.write('READY\\n');
process.stdin.once('data', () => {
  const r = acquireLock(process.argv[2], self, (o) => o.pid !== ${STALE_PID});
  process.stdout.write((r.acquired ? 'WON ' : 'LOST ') + process.pid + '\\n');
  process.stdin.destroy();
});
`,
  );
});

afterAll(() => {
  rmSync(bundleDir, { recursive: true, force: true });
});

afterEach(() => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.pid !== undefined) child.kill('SIGKILL');
  }
});

function contender(dir: string): {
  child: ChildProcess;
  output: () => string;
  line: (re: RegExp) => Promise<string>;
} {
  const child = spawn(process.execPath, [script, dir], { stdio: ['pipe', 'pipe', 'inherit'] });
  children.push(child);
  let out = '';
  const waiters: (() => void)[] = [];
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
    for (const w of waiters.splice(0)) w();
  });
  const line = (re: RegExp) =>
    new Promise<string>((res, rej) => {
      const check = () => {
        const m = out.match(re);
        if (m) return res(m[0]);
        if (child.exitCode !== null) return rej(new Error(`contender exited: ${out}`));
        waiters.push(check);
      };
      child.once('exit', check);
      check();
    });
  return { child, output: () => out, line };
}

async function race(dir: string): Promise<string[]> {
  const all = Array.from({ length: CONTENDERS }, () => contender(dir));
  await Promise.all(all.map((c) => c.line(/READY/)));
  for (const c of all) c.child.stdin?.write('go\n');
  return Promise.all(all.map((c) => c.line(/(WON|LOST) \d+/)));
}

describe('acquireLock across processes', () => {
  it('lets exactly one of several processes take a free lock', async () => {
    for (let round = 0; round < 3; round++) {
      const dir = join(root(), `free-${round}`);
      const results = await race(dir);
      const winners = results.filter((r) => r.startsWith('WON'));
      expect(winners).toHaveLength(1);
      const holder = JSON.parse(readFileSync(lockFile(dir), 'utf8'));
      expect(`WON ${holder.pid}`).toBe(winners[0]);
    }
  });

  it('lets exactly one of several processes take over a stale lock', async () => {
    for (let round = 0; round < 3; round++) {
      const dir = join(root(), `stale-${round}`);
      mkdirSync(join(dir, '.devlaunch'), { recursive: true });
      writeFileSync(
        lockFile(dir),
        JSON.stringify({ pid: STALE_PID, startTime: 'x', startedAt: 'y' }),
      );
      const results = await race(dir);
      const winners = results.filter((r) => r.startsWith('WON'));
      expect(winners).toHaveLength(1);
      const holder = JSON.parse(readFileSync(lockFile(dir), 'utf8'));
      expect(`WON ${holder.pid}`).toBe(winners[0]);
    }
  });
});
