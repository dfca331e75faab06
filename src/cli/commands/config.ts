/**
 * `devlaunch config [--json]`: the manifest as devlaunch understands it — defaults filled in,
 * durations in ms, paths absolute — or, for an invalid one, every problem on stderr and exit 2.
 */
import { stringify } from 'yaml';
import type { GlobalArgs } from '../../app/options.js';
import { ExitCode } from '../../errors.js';
import { displayFile } from '../../manifest/format.js';
import { formatDiagnostics, readManifest } from '../../manifest/index.js';
import { colorEnabled } from '../../output/colors.js';

export async function run(args: GlobalArgs): Promise<number> {
  // A copy: validation reads the environment once per service, and each read of process.env
  // itself asks the OS for every variable again.
  const result = readManifest({ file: args.file, cwd: process.cwd(), env: { ...process.env } });
  if (!result.ok) {
    const color = colorEnabled(process.stderr, args.color);
    process.stderr.write(formatDiagnostics(result.diagnostics, result.text, color));
    return ExitCode.usage;
  }
  const { manifest } = result;
  if (args.json) {
    process.stdout.write(`${JSON.stringify(manifest, null, 2)}\n`);
  } else {
    const header = `# ${displayFile(manifest.file)}, as devlaunch understands it: defaults filled in, durations in ms\n`;
    process.stdout.write(header + stringify(manifest, { lineWidth: 0 }));
  }
  return ExitCode.ok;
}
