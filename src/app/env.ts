/**
 * `devlaunch env [SERVICE]`, the use case: the variables devlaunch gives the running session's
 * services. With a service: that service's own variables. Without: those every service shares
 * (each service's URL and ports, the global env), e.g. for `eval "$(devlaunch env --shell)"`.
 */

import { DevlaunchError } from '../errors.js';
import { checkServiceNames } from '../plan/graph.js';
import type { SessionState } from '../state/index.js';
import { findSession } from './find.js';
import type { CommandContext, EnvArgs } from './options.js';
import { stateProject } from './project.js';

export interface SessionEnv {
  /** The variables asked for: the service's own, or those every service shares. */
  vars: Record<string, string>;
  /** `--json`: the service's variables, or every service's by name. */
  json: Record<string, string> | Record<string, Record<string, string>>;
}

export function sessionEnv(args: EnvArgs, ctx: CommandContext): SessionEnv {
  const { root, manifest, name } = stateProject(
    { file: args.file, cwd: ctx.cwd, env: ctx.env },
    ctx.warn,
  );
  if (args.service && manifest) checkServiceNames(manifest, [args.service]);
  const found = findSession(root);
  if (!found) {
    throw new DevlaunchError(
      'SERVICE_FAILED',
      `nothing of ${name} is running, so there are no resolved variables`,
      {
        hint: 'Start the services with devlaunch up -d (or use devlaunch run -- CMD, which passes them to CMD).',
      },
    );
  }
  const vars = withoutMarks(
    args.service ? serviceVars(found.state, args.service) : sharedVars(found.state),
  );
  const json = args.service
    ? vars
    : Object.fromEntries(found.state.services.map((s) => [s.name, withoutMarks(s.env)]));
  return { vars, json };
}

function serviceVars(state: SessionState, service: string): Record<string, string> {
  const record = state.services.find((s) => s.name === service);
  if (!record) {
    throw new DevlaunchError('USAGE', `${service} is not part of the running session`, {
      hint: `It runs: ${state.services.map((s) => s.name).join(', ')}.`,
    });
  }
  return record.env;
}

/** A service's own identity: equal across services by chance (HOST), never the session's. */
const OWN = new Set(['HOST', 'PORT', 'DEVLAUNCH_SERVICE']);

/** Variables with the same value in every service's environment. */
function sharedVars(state: SessionState): Record<string, string> {
  const [first, ...rest] = state.services;
  if (!first) return {};
  return Object.fromEntries(
    Object.entries(first.env).filter(([k, v]) => !OWN.has(k) && rest.every((s) => s.env[k] === v)),
  );
}

/**
 * The session mark identifies devlaunch's own processes: a shell that evaluated it would be
 * taken for one of the session's services and stopped with it.
 */
function withoutMarks(vars: Record<string, string>): Record<string, string> {
  const { DEVLAUNCH_SESSION: _session, ...rest } = vars;
  return rest;
}
