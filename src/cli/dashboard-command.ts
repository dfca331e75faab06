/**
 * `devlaunch dashboard`: opens the running session's dashboard in the browser. Without a
 * terminal (or in CI) it only prints the URL, which also carries the session's token.
 * Like `status` it works from the recorded session state (a manifest being edited only warns),
 * and it ships inside status's bundle (see main.ts): a bundle of its own would repeat the
 * whole manifest and state code for a few lines.
 */
import { findSession } from '../app/find.js';
import { openInBrowser } from '../app/open-browser.js';
import type { GlobalArgs } from '../app/options.js';
import { stateProject } from '../app/project.js';
import { DevlaunchError, ExitCode } from '../errors.js';
import { isInteractive } from '../output/prompt.js';
import { warn } from './say.js';

export async function run(args: GlobalArgs): Promise<number> {
  const project = stateProject({ file: args.file, cwd: process.cwd(), env: process.env }, (text) =>
    warn(args, text),
  );
  const found = findSession(project.root);
  if (!found?.live) {
    throw new DevlaunchError('SERVICE_FAILED', `nothing of ${project.name} is running`, {
      hint: 'Start it with devlaunch up (or up -d); every session serves a dashboard.',
    });
  }
  const url = found.state.dashboard;
  if (!url) {
    throw new DevlaunchError('USAGE', `the session of ${project.name} serves no dashboard`, {
      hint: 'It was started with --no-dashboard, or launcher.yaml says dashboard: false.',
    });
  }
  if (args.json) {
    process.stdout.write(`${JSON.stringify({ dashboard: url })}\n`);
    return ExitCode.ok;
  }
  process.stdout.write(`${url}\n`);
  if (isInteractive() && !process.env.CI && args.open) openInBrowser(url);
  return ExitCode.ok;
}
