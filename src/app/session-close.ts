/**
 * The end of a session, once its supervisor has stopped every service: stop daemons that
 * escaped a service's tree, end the watchdog, wait until every port it resolved binds again,
 * record how it ended, release the claim, flush output and retire the session's files.
 */

import type { ControlServer } from '../control/server.js';
import type { Dashboard } from '../dashboard/server.js';
import type { ResolvedPorts } from '../env/index.js';
import type { Manifest } from '../manifest/types.js';
import type { EventSink } from '../output/events.js';
import type { ServiceOutput } from '../output/index.js';
import { waitAllBindable } from '../ports/index.js';
import type { Watchdog } from '../process/index.js';
import { retireSession } from '../state/index.js';
import type { ServiceSpec } from '../supervisor/service-runner.js';
import { stopEscapedDaemons } from './daemons.js';
import type { EndRecord } from './end-record.js';
import type { SessionRecorder } from './recorder.js';

const PORT_RELEASE_WAIT_MS = 3000;

export interface ClosingSession {
  manifest: Manifest;
  id: string;
  dynamic: boolean;
  names: readonly string[];
  ports: ResolvedPorts;
  specs: readonly ServiceSpec[];
  spawned: ReadonlyMap<string, string>;
  control: ControlServer | null;
  dashboard: Dashboard | null;
  recorder: SessionRecorder;
  ending: EndRecord;
  /** Undone last to first (the claim). */
  cleanups: (() => void)[];
  output: ServiceOutput;
  watchdog: Watchdog;
  emit: EventSink;
}

export async function closeSession(s: ClosingSession): Promise<void> {
  const { manifest, emit } = s;
  await s.control?.close();
  await s.dashboard?.close();
  // A daemon that left a service's tree and erased its mark still holds the service's port.
  const daemons = await stopEscapedDaemons(
    s.specs.map((spec) => ({
      service: spec.name,
      ports: Object.values(spec.ports),
      spawned: s.spawned.get(spec.name) ?? null,
    })),
    (service) => manifest.services[service]?.stop_timeout ?? manifest.stop_timeout,
  );
  for (const d of daemons) {
    emit({
      type: 'message',
      level: 'info',
      text: `stopped pid ${d.pid} (${d.command}), a daemon ${d.service} left holding port ${d.port}`,
    });
  }
  // Nothing of the session runs any more: the watchdog is told to go now, and exits while the
  // rest is closed (devlaunch still waits for it: it returns with nothing of it left running).
  const watchdogGone = s.watchdog.dispose();
  // devlaunch returns only once every port it resolved can be bound again (bounded wait).
  const stillHeld = await waitAllBindable(portsOf(s.ports, s.names), PORT_RELEASE_WAIT_MS);
  if (stillHeld.length > 0) {
    emit({
      type: 'message',
      level: 'warn',
      text: `port ${stillHeld.join(', ')} still cannot be bound after every service stopped`,
      hint: `devlaunch ports ${stillHeld.join(' ')} shows what holds it.`,
    });
  }
  s.recorder.close();
  s.ending.write();
  for (const cleanup of s.cleanups.reverse()) cleanup();
  await s.output.close();
  await watchdogGone;
  retireSession({ root: manifest.root, session: s.id, dynamic: s.dynamic });
}

/** Every port the given services resolved. */
function portsOf(ports: ResolvedPorts, names: readonly string[]): number[] {
  return names.flatMap((n) => {
    const p = ports[n];
    return p ? [...(p.primary === null ? [] : [p.primary]), ...Object.values(p.named)] : [];
  });
}
