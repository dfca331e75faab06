/**
 * Helpers for the `init` and `doctor` end-to-end tests: a project folder from manifest text
 * (removed by removeTempDirs), a listener in a separate process on an OS-given port (tracked, so it is
 * killed when the test ends), and doctor's JSON output.
 */
import { type CliResult, runCli } from '../../helpers/cli.js';
import { startProgram } from '../../helpers/processes.js';
import { project } from '../../helpers/project.js';

/** A project folder with `text` as its launcher.yaml. */
export function projectWith(text: string): string {
  return project(text, { prefix: 'devlaunch-init-doctor-' }).root;
}

/** A Node process listening on a port the OS picks (127.0.0.1); tracked for cleanup. */
export async function foreignListener(): Promise<{ pid: number; port: number }> {
  const { pid, match } = await startProgram(
    process.execPath,
    [
      '-e',
      "const s=require('node:net').createServer();s.listen(0,'127.0.0.1',()=>console.log('LISTENING '+s.address().port))",
    ],
    /^LISTENING (\d+)$/,
  );
  return { pid, port: Number(match[1]) };
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
