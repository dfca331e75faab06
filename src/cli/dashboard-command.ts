/**
 * `devlaunch dashboard`: opens the running session's dashboard (app/dashboard-url.ts) in the
 * browser. Without a terminal (or in CI) it only prints the URL, which also carries the
 * session's token. It ships inside status's bundle (see main.ts): a bundle of its own would
 * repeat the whole manifest and state code for a few lines.
 */
import { dashboardUrl } from '../app/dashboard-url.js';
import { openInBrowser } from '../app/open-browser.js';
import type { GlobalArgs } from '../app/options.js';
import { ExitCode } from '../errors.js';
import { isInteractive } from '../output/prompt.js';
import { commandContext } from './say.js';

export async function run(args: GlobalArgs): Promise<number> {
  const url = dashboardUrl(args, commandContext(args));
  if (args.json) {
    process.stdout.write(`${JSON.stringify({ dashboard: url })}\n`);
    return ExitCode.ok;
  }
  process.stdout.write(`${url}\n`);
  if (isInteractive() && !process.env.CI && args.open) openInBrowser(url);
  return ExitCode.ok;
}
