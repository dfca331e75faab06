/**
 * The tools under test, started the same way every time: devlaunch (the built CLI), and the
 * peers it replaces, concurrently and wait-on (devDependencies). Fixture projects are written
 * into fresh temporary directories, and every directory is removed by `cleanup()`.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { node, start } from './proc.mjs';

export const root = fileURLToPath(new URL('../../', import.meta.url));
/** The CLI under test; DEVLAUNCH_BENCH_BIN points at another build to compare (a patch). */
export const devlaunchBin = process.env.DEVLAUNCH_BENCH_BIN ?? join(root, 'bin', 'devlaunch.js');
export const fixture = (name) => join(root, 'bench', 'fixtures', name);

const require = createRequire(import.meta.url);

/** The JavaScript file a package's `bin` names (run with `node`, as npx would). */
function binOf(pkg, name) {
  const manifestPath = require.resolve(`${pkg}/package.json`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin[name ?? pkg];
  return join(dirname(manifestPath), bin);
}

export const concurrentlyBin = binOf('concurrently');
export const waitOnBin = binOf('wait-on');

const dirs = [];

/** A fresh project directory holding `manifest` as launcher.yaml (JSON is valid YAML). */
export function project(manifest) {
  const dir = mkdtempSync(join(tmpdir(), 'devlaunch-bench-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'launcher.yaml'), `${JSON.stringify(manifest, null, 2)}\n`);
  return dir;
}

/** An empty scratch directory (output captures). */
export function scratch() {
  const dir = mkdtempSync(join(tmpdir(), 'devlaunch-bench-'));
  dirs.push(dir);
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function cleanup() {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** `count` services named s1…sN running `command` on `port: auto`, readiness by TCP. */
export function servicesManifest(count, command, extra = {}) {
  const services = {};
  for (let i = 1; i <= count; i++) services[`s${i}`] = { command, port: 'auto', ...extra };
  return { name: 'bench', stop_timeout: '2s', services };
}

/** `devlaunch <args>` in `cwd`. */
export function devlaunch(args, opts) {
  return start(node, [devlaunchBin, ...args], opts);
}

/**
 * concurrently running `commands` (shell strings), named `names` (default s1…sN), with prefixes coloured as its
 * users have them. `env` applies to every command.
 */
export function concurrently(commands, opts, flags = [], names = null) {
  const list = (names ?? commands.map((_, i) => `s${i + 1}`)).join(',');
  return start(node, [concurrentlyBin, '--names', list, ...flags, ...commands], opts);
}

/** wait-on for TCP ports on 127.0.0.1, polling every `intervalMs`. */
export function waitOn(ports, intervalMs, opts) {
  const resources = ports.map((p) => `tcp:127.0.0.1:${p}`);
  return start(node, [waitOnBin, '--interval', String(intervalMs), ...resources], opts);
}
