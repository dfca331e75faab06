/**
 * Helpers for the `init` and `doctor` end-to-end tests: temporary project folders (removed
 * after each test), a listener in a separate process on an OS-given port (tracked, so it is
 * killed when the test ends), and doctor's JSON output.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CliResult, runCli } from '../../helpers/cli.js';
import { LineReader, track } from '../../helpers/processes.js';

const dirs: string[] = [];

export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'devlaunch-init-doctor-'));
  dirs.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A project folder with `text` as its launcher.yaml. */
export function projectWith(text: string): string {
  const dir = tempDir();
  writeFileSync(join(dir, 'launcher.yaml'), text);
  return dir;
}

/** A Node process listening on a port the OS picks (127.0.0.1); tracked for cleanup. */
export async function foreignListener(): Promise<{ pid: number; port: number }> {
  const child = spawn(
    process.execPath,
    [
      '-e',
      "const s=require('node:net').createServer();s.listen(0,'127.0.0.1',()=>console.log('LISTENING '+s.address().port))",
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  track(child.pid);
  const match = await new LineReader(child.stdout).waitFor(/^LISTENING (\d+)$/);
  return { pid: child.pid!, port: Number(match[1]) };
}

export interface DoctorEntry {
  check: string;
  status: 'ok' | 'warn' | 'error';
  message: string;
  hint: string | null;
  diagnostics?: { line: number; column: number; message: string; path: (string | number)[] }[];
}

/** `devlaunch doctor --json` in `cwd`: the exit code and the parsed entries. */
export async function doctorJson(
  cwd: string,
): Promise<{ result: CliResult; entries: DoctorEntry[] }> {
  const result = await runCli(['doctor', '--json'], { cwd });
  return { result, entries: JSON.parse(result.stdout) as DoctorEntry[] };
}

export function entry(entries: DoctorEntry[], check: string): DoctorEntry {
  const found = entries.find((e) => e.check === check);
  if (found === undefined) {
    throw new Error(`no ${check} check in ${JSON.stringify(entries, null, 2)}`);
  }
  return found;
}
