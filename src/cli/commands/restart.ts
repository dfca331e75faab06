/**
 * `devlaunch restart [SERVICE...]`: in the running session, stop each service's whole tree and
 * start it again on the same ports, in dependency order; return once each is ready again
 * (exit 1 if one is not). No names: every service. No session: exit 3. Unknown name: exit 2.
 */
import type { RestartArgs } from '../../app/options.js';
import { restartServices } from '../../app/remote.js';
import { terminal } from '../terminal.js';

export async function run(args: RestartArgs): Promise<number> {
  return restartServices(args, terminal(args));
}
