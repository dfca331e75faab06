import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const started: ChildProcess[] = [];

/** Kills every child a test started, by pid; call from afterEach. */
export function killStarted(): void {
  for (const child of started.splice(0)) {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }
}

/** Starts a process and waits (bounded) for a stdout line matching `marker`. */
export function startWithMarker(
  command: string,
  args: string[],
  marker: RegExp,
  timeoutMs = 10_000,
): Promise<{ child: ChildProcess; match: RegExpMatchArray }> {
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  started.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(
      () => reject(new Error(`no ${marker} within ${timeoutMs} ms: ${out}${err}`)),
      timeoutMs,
    );
    child.stderr?.on('data', (d) => {
      err += String(d);
    });
    child.stdout?.on('data', (d) => {
      out += String(d);
      const match = marker.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve({ child, match });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before ${marker}: ${out}${err}`));
    });
  });
}

/** A child node process listening on an OS-given port on `host`; resolves with pid and port. */
export async function startListener(host: string): Promise<{ pid: number; port: number }> {
  const code = `const s=require('net').createServer();s.listen({port:0,host:${JSON.stringify(host)},ipv6Only:${host === '::1' ? 'true' : 'false'}},()=>console.log('READY '+s.address().port));process.stdin.resume()`;
  const { child, match } = await startWithMarker(process.execPath, ['-e', code], /READY (\d+)/);
  return { pid: child.pid as number, port: Number(match[1]) };
}

/** A port that was free a moment ago: bound on the OS's choice and closed again. */
export function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ port: 0, host: '127.0.0.1' }, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Bundles the ports modules into a temporary folder readable by every user, so child
 * processes (also ones running as `nobody`) can import them without a TypeScript loader.
 */
export async function bundlePorts(): Promise<{
  dir: string;
  probe: string;
  holders: string;
  cleanup: () => void;
}> {
  const dir = mkdtempSync(join(tmpdir(), 'devlaunch-ports-'));
  chmodSync(dir, 0o755);
  const src = (p: string) => fileURLToPath(new URL(`../../../src/ports/${p}`, import.meta.url));
  await build({
    entryPoints: { probe: src('probe.ts'), holders: src('holders/index.ts') },
    outdir: dir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    format: 'esm',
    platform: 'node',
    logLevel: 'error',
  });
  return {
    dir,
    probe: join(dir, 'probe.mjs'),
    holders: join(dir, 'holders.mjs'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
