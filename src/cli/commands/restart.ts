/**
 * `devlaunch restart [SERVICE...]`: in the running session, stop each service's whole tree and
 * start it again on the same ports, in dependency order; return once each is ready again
 * (exit 1 if one is not). No names: every service. No session: exit 3. Unknown name: exit 2.
 */

import type { RestartArgs } from '../../app/options.js';
import { ask, liveSession, noSession, printOutcomes } from '../../app/remote.js';
import type { OutcomeResult } from '../../control/protocol.js';
import { loadManifest } from '../../manifest/index.js';
import { checkServiceNames } from '../../plan/graph.js';
import { terminal } from '../terminal.js';

export async function run(args: RestartArgs): Promise<number> {
  const manifest = loadManifest({ file: args.file, cwd: process.cwd(), env: process.env });
  checkServiceNames(manifest, args.services);
  const found = liveSession(manifest.root);
  if (found === null) throw noSession(manifest, manifest.root);
  const term = terminal(args);
  const request = { op: 'restart' as const, services: args.services };
  return printOutcomes(await ask<OutcomeResult>(found, request, args, term), args, term);
}
