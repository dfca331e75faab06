/**
 * `devlaunch dashboard`: opens the running session's dashboard in the browser. Without a
 * terminal (or in CI) it only prints the URL, which also carries the session's token.
 */

import { findSession } from '../../app/find.js';
import { openInBrowser } from '../../app/open-browser.js';
import type { GlobalArgs } from '../../app/options.js';
import { DevlaunchError, ExitCode } from '../../errors.js';
import { loadManifest } from '../../manifest/index.js';
import { isInteractive } from '../../output/prompt.js';

export async function run(args: GlobalArgs): Promise<number> {
  const manifest = loadManifest({ file: args.file, cwd: process.cwd(), env: process.env });
  const found = findSession(manifest.root);
  if (!found?.live) {
    throw new DevlaunchError('SERVICE_FAILED', `nothing of ${manifest.name} is running`, {
      hint: 'Start it with devlaunch up (or up -d); every session serves a dashboard.',
    });
  }
  const url = found.state.dashboard;
  if (!url) {
    throw new DevlaunchError('USAGE', `the session of ${manifest.name} serves no dashboard`, {
      hint: 'It was started with --no-dashboard, or launcher.yaml says dashboard: false.',
    });
  }
  if (args.json) {
    process.stdout.write(`${JSON.stringify({ dashboard: url })}\n`);
    return ExitCode.ok;
  }
  process.stdout.write(`${url}\n`);
  const interactive = isInteractive() && !process.env.CI;
  if (interactive && args.open) openInBrowser(url);
  return ExitCode.ok;
}
