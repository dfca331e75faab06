/**
 * The supervisor step of a session: one runner per planned service, wired to the OS (spawn,
 * process trees, listening ports), to the session's output and event bus, and to the recorder
 * that keeps the session's state file up to date.
 */
import { EnvStore } from '../env/index.js';
import type { Manifest } from '../manifest/types.js';
import type { EventBus } from '../output/events.js';
import type { ServiceOutput } from '../output/index.js';
import type { LaunchPlan, PlannedService } from '../plan/launch-plan.js';
import {
  describeExit,
  killTreeNow,
  type StopTarget,
  spawnService,
  startTimeOf,
  stopTree,
  type Watchdog,
} from '../process/index.js';
import { sessionFile } from '../state/index.js';
import { ServiceRunner, type ServiceSpec } from '../supervisor/service-runner.js';
import { Supervisor } from '../supervisor/supervisor.js';
import { followDaemon } from './daemons.js';
import { portLooks } from './port-looks.js';
import { SessionRecorder } from './recorder.js';

export interface SupervisedSession {
  supervisor: Supervisor;
  recorder: SessionRecorder;
  /** What each runner runs, in start order. */
  specs: ServiceSpec[];
  /** The start time of each service's latest process: evidence for daemons that left it (daemons.ts). */
  spawned: Map<string, string>;
  /** A runner for a service joining the session later (up SERVICE), wired like the others. */
  runnerFor: (planned: PlannedService) => ServiceRunner;
}

export function superviseSession(opts: {
  manifest: Manifest;
  plan: LaunchPlan;
  session: string;
  dynamic: boolean;
  output: ServiceOutput;
  bus: EventBus;
  watchdog: Watchdog;
  /** The dashboard's URL, recorded for `status` and `dashboard`; null when none is served. */
  dashboard: string | null;
  /** A failure after start-up stops the session. */
  exitOnFailure: boolean;
}): SupervisedSession {
  // No closure below reads `opts`: the plan (every service's whole environment) is let go once
  // the specs are made.
  const { manifest, session, dynamic, watchdog, output, bus, exitOnFailure } = opts;
  const envs = { env: new EnvStore(), own: new EnvStore() };
  const specs = opts.plan.services.map((planned) => serviceSpec(manifest, planned, session, envs));
  const recorder = new SessionRecorder({
    file: sessionFile(manifest.root, dynamic ? session : undefined),
    project: manifest.name,
    session,
    dynamic,
    manifest: manifest.file,
    root: manifest.root,
    watchdog,
    dashboard: opts.dashboard,
  });
  const spawned = new Map<string, string>();
  let supervisor: Supervisor | undefined;
  const listeningPorts = portLooks();
  // This process spawns every service of the session: a process older than it cannot carry
  // the session's mark, and the sweeps need not read its environment.
  const since = startTimeOf(process.pid) ?? undefined;
  const ours = (target: StopTarget): StopTarget =>
    since === undefined ? target : { ...target, since };
  const runnerFor = (spec: ServiceSpec): ServiceRunner =>
    new ServiceRunner(spec, {
      spawn: spawnService,
      stopTree: (target, options) => stopTree(ours(target), options),
      killTreeNow: (target) => killTreeNow(ours(target)),
      describeExit,
      listeningPorts,
      output,
      emit: bus.emit,
      watchdog,
      changed: () => {
        recorder.changed();
        for (const r of runners) if (r.startTime !== null) spawned.set(r.name, r.startTime);
      },
      failed: (service) => supervisor?.serviceFailed(service),
      findDaemon: followDaemon,
    });
  // The supervisor and the recorder share this list: a service added later is in both.
  const runners: ServiceRunner[] = specs.map(runnerFor);
  supervisor = new Supervisor(runners, bus, { exitOnFailure });
  recorder.track(runners);
  const joining = (planned: PlannedService): ServiceRunner => {
    const spec = serviceSpec(manifest, planned, session, envs);
    specs.push(spec);
    return runnerFor(spec);
  };
  return { supervisor, recorder, specs, spawned, runnerFor: joining };
}

/** The session's environments, each kept against the first (env/shared.ts). */
interface SessionEnvs {
  env: EnvStore;
  own: EnvStore;
}

function serviceSpec(
  manifest: Manifest,
  planned: PlannedService,
  session: string,
  envs: SessionEnvs,
): ServiceSpec {
  return {
    name: planned.name,
    config: manifest.services[planned.name]!,
    command: planned.command,
    env: envs.env.keep(planned.env),
    ownEnv: envs.own.keep(planned.ownEnv),
    ports: planned.ports,
    url: planned.url,
    session,
  };
}
