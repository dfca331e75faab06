/**
 * `devlaunch dashboard`, the use case: the running session's dashboard URL (it carries the
 * session's token). Like `status` it works from the recorded session state, so a manifest
 * being edited only warns.
 */
import { DevlaunchError } from '../errors.js';
import { findSession } from './find.js';
import type { CommandContext, GlobalArgs } from './options.js';
import { stateProject } from './project.js';

export function dashboardUrl(args: GlobalArgs, ctx: CommandContext): string {
  const project = stateProject({ file: args.file, cwd: ctx.cwd, env: ctx.env }, ctx.warn);
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
  return url;
}
