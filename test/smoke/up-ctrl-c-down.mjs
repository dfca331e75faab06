// Smoke check of the built CLI on any OS (run by the Windows and macOS CI jobs; not part of
// `npm test`): a project of one node server that starts a grandchild, each holding a port from
// the OS. Round 1: up, status says it runs, a graceful stop (Ctrl+C as SIGINT on POSIX; on
// Windows, where a parent cannot send Ctrl+C to one child, `devlaunch down`), then both pids
// gone and both ports bindable. Round 2: devlaunch killed outright (SIGKILL / TerminateProcess):
// nothing may be left within 5 s (the watchdog on POSIX, the job object on Windows).
// Usage: npm run build && node test/smoke/up-ctrl-c-down.mjs
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'bin', 'devlaunch.js');
const isWindows = process.platform === 'win32';
const started = [];
let failed = false;

const check = (ok, what) => {
  console.log(`${ok ? 'PASS' : 'FAIL'}  ${what}`);
  if (!ok) failed = true;
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
// Not the OS's choice (listen on 0): that comes from the ephemeral range, where any outgoing
// connection may take the number before the server binds it. A random port below every OS's
// default range (Linux 32768-60999, Windows and macOS 49152-65535), checked free. (The test
// suite's helper reads the machine's own range; this plain script runs without TypeScript.)
const freePort = async () => {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = 20000 + Math.floor(Math.random() * 10000);
    if (await bindable(port)) return port;
  }
  throw new Error('no free port in 20000-29999 after 100 tries');
};
const bindable = (port) =>
  new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
async function until(test, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await test()) return true;
    await sleep(100);
  }
  return test();
}

async function round(name, stop) {
  const dir = mkdtempSync(join(tmpdir(), 'devlaunch-smoke-'));
  let [p1, p2] = [await freePort(), await freePort()];
  while (p2 === p1) p2 = await freePort();
  copyFileSync(
    join(root, 'test', 'windows', 'fixtures', 'server-tree.mjs'),
    join(dir, 'server-tree.mjs'),
  );
  writeFileSync(
    join(dir, 'launcher.yaml'),
    `services:\n  api:\n    command: ${JSON.stringify([process.execPath, 'server-tree.mjs'])}\n` +
      `    port: ${p1}\n    env: { GRANDCHILD_PORT: "${p2}" }\n    stop_timeout: 5s\n`,
  );
  const up = spawn(process.execPath, [cli, 'up', '--no-color'], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  up.stdout.on('data', (d) => (out += d));
  up.stderr.on('data', (d) => (out += d));
  const exited = new Promise((r) => up.once('exit', (code, signal) => r({ code, signal })));
  const pids = () => [...out.matchAll(/(?:SERVER|GRANDCHILD) \d+ (\d+)/g)].map((m) => Number(m[1]));
  const ready = await until(() => pids().length === 2 && out.includes('ready'), 60_000);
  check(ready, `${name}: up, server and grandchild running`);
  started.push(...pids());
  if (ready && stop === 'graceful') {
    const status = execFileSync(process.execPath, [cli, 'status', '--no-color'], {
      cwd: dir,
      encoding: 'utf8',
    });
    check(/api\s+(running|ready)/.test(status), `${name}: status says api runs`);
    if (isWindows) execFileSync(process.execPath, [cli, 'down'], { cwd: dir, stdio: 'inherit' });
    else up.kill('SIGINT');
    const { code } = await exited;
    check(code === 0 || code === 130, `${name}: devlaunch exited ${code}`);
  } else if (ready) {
    up.kill('SIGKILL');
    await exited;
  }
  const gone = await until(() => pids().every((p) => !alive(p)), 5000);
  check(gone, `${name}: server and grandchild gone (${pids().join(', ')})`);
  check((await bindable(p1)) && (await bindable(p2)), `${name}: ports ${p1} ${p2} bindable again`);
  if (failed) console.log(out);
  rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
}

try {
  await round('graceful', 'graceful');
  await round('kill', 'kill');
} finally {
  for (const pid of started) if (alive(pid)) process.kill(pid, 'SIGKILL');
}
process.exit(failed ? 1 : 0);
