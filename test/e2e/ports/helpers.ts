/** Helpers for the port tests: a listener in another process, and the ports modules bundled. */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { startProgram } from '../../helpers/processes.js';

/** A child node process listening on an OS-given port on `host`; resolves with pid and port. */
export async function startListener(host: string): Promise<{ pid: number; port: number }> {
  const code = `const s=require('net').createServer();s.listen({port:0,host:${JSON.stringify(host)},ipv6Only:${host === '::1' ? 'true' : 'false'}},()=>console.log('READY '+s.address().port));process.stdin.resume()`;
  const { pid, match } = await startProgram(process.execPath, ['-e', code], /READY (\d+)/, {
    stdin: 'pipe',
  });
  return { pid, port: Number(match[1]) };
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
