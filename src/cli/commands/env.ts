/**
 * `devlaunch env [SERVICE]`: the variables devlaunch gives the running session's services.
 * With a service: that service's own variables. Without: those every service shares (each
 * service's URL and ports, the global env), e.g. for `eval "$(devlaunch env --shell)"`.
 */

import { findSession } from '../../app/find.js';
import type { EnvArgs } from '../../app/options.js';
import { stateProject } from '../../app/project.js';
import { dotenvValue } from '../../env/index.js';
import { DevlaunchError, ExitCode } from '../../errors.js';
import { checkServiceNames } from '../../plan/graph.js';
import type { SessionState } from '../../state/index.js';
import { warn } from '../say.js';

export async function run(args: EnvArgs): Promise<number> {
  const { root, manifest, name } = stateProject(
    { file: args.file, cwd: process.cwd(), env: process.env },
    (text) => warn(args, text),
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
  if (args.json) {
    const data = args.service
      ? vars
      : Object.fromEntries(found.state.services.map((s) => [s.name, withoutMarks(s.env)]));
    process.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
  } else {
    const lines = args.shell
      ? Object.entries(vars).map(([k, v]) => `export ${k}=${shellQuote(v)}`)
      : dotenvLines(vars);
    process.stdout.write(lines.length > 0 ? `${lines.join('\n')}\n` : '');
  }
  return ExitCode.ok;
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

/** POSIX shell single quotes: safe for any value. */
export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}

/** `NAME=value` lines that dotenv, node --env-file and env_file read back exactly, or an error. */
function dotenvLines(vars: Record<string, string>): string[] {
  const lines: string[] = [];
  const refused: string[] = [];
  for (const [name, value] of Object.entries(vars)) {
    const written = dotenvValue(value);
    if (written.ok) lines.push(`${name}=${written.text}`);
    else refused.push(`${name}: ${written.reason}`);
  }
  if (refused.length > 0) {
    throw new DevlaunchError(
      'NOT_REPRESENTABLE',
      `no dotenv quoting carries ${refused.length === 1 ? 'this value' : 'these values'} exactly, so nothing was written:\n  ${refused.join('\n  ')}`,
      { hint: 'devlaunch env --json and devlaunch env --shell carry any value.' },
    );
  }
  return lines;
}
