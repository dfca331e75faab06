/**
 * Turns a manifest into a running session. `up` and `run` share it; they differ only in what
 * they do while the session runs. The flow, one step per module:
 *
 *   claim (claim.ts) → reap earlier sessions (earlier-sessions.ts)
 *   → prepare the launch plan, apply its port part (launch.ts)
 *   → watchdog and dashboard (started early, awaited here) → supervisor (session-supervisor.ts)
 *   → control channel (control-handler.ts) … → close (session-close.ts)
 *
 * Every event of the session goes through one EventBus: the reporter prints it; subscribers
 * (the browser opener, control requests, the dashboard, the end record) see it.
 */

import type { PortOptions } from '../control/protocol.js';
import type { Dashboard } from '../dashboard/server.js';
import { commandEnvironment, loadDotenvFiles, type ResolvedPorts } from '../env/index.js';
import { loadManifest } from '../manifest/index.js';
import type { Manifest } from '../manifest/types.js';
import { EventBus, type EventSink } from '../output/events.js';
import { createReporter, ServiceOutput } from '../output/index.js';
import { checkServiceNames, dependentsOf, startOrder, withDependencies } from '../plan/graph.js';
import type { LaunchPlan } from '../plan/launch-plan.js';
import { startWatchdog, type Watchdog } from '../process/index.js';
import { assertUsableState, logsDir } from '../state/index.js';
import type { Supervisor } from '../supervisor/supervisor.js';
import { claimSession, handoffFrom } from './claim.js';
import { collectOnceReady, optimizeOnHeavyOutput } from './compact-heap.js';
import { openControl } from './control-handler.js';
import { serveDashboard } from './dashboard.js';
import { earlierSessions, reapEarlier } from './earlier-sessions.js';
import { EndRecord } from './end-record.js';
import { growSession } from './grow-session.js';
import { applyLaunch, prepareLaunch, takeOver } from './launch.js';
import { browserOpener } from './open-browser.js';
import type { GlobalArgs, Terminal } from './options.js';
import { closeSession } from './session-close.js';
import { detachedChild, inheritedEnv, newSessionId } from './session-env.js';
import { superviseSession } from './session-supervisor.js';

export { newSessionId };

export interface SessionOptions {
  args: GlobalArgs;
  /** Services asked for on the command line; empty: all. */
  services: readonly string[];
  /** Service output only to the log files (devlaunch run). */
  quiet: boolean;
  /** Serve the dashboard (unless the manifest says `dashboard: false`). */
  dashboard: boolean;
  term: Terminal;
  /** A failure after start-up stops the session; default `--exit-on-failure`. */
  exitOnFailure?: boolean;
}

export interface Session {
  manifest: Manifest;
  id: string;
  ports: ResolvedPorts;
  supervisor: Supervisor;
  output: ServiceOutput;
  emit: EventSink;
  watchdog: Watchdog;
  /** The session's dashboard, or null when it serves none. */
  dashboard: Dashboard | null;
  /** The environment a command run beside the services gets (devlaunch run). */
  commandEnv: Record<string, string>;
  /** Flushes output and ends the watchdog; call after the supervisor has finished. */
  close(): Promise<void>;
}

export async function openSession(options: SessionOptions): Promise<Session> {
  const { args, term } = options;
  const manifest = loadManifest({ file: args.file, cwd: term.cwd, env: term.env });
  checkServiceNames(manifest, options.services);
  assertUsableState(manifest.root, { write: true });
  const names = startOrder(manifest, withDependencies(manifest, options.services));
  const detached = detachedChild(term.env);
  const id = detached?.session ?? newSessionId();
  const dynamic = args.dynamic || detached?.dynamic === true;
  const color = term.color.stdout;
  const logDir = logsDir(manifest.root, dynamic ? id : undefined);
  const output = new ServiceOutput({
    // run's quiet mode keeps stdout for the command: devlaunch's own lines go to stderr.
    out: options.quiet ? term.stderr : term.stdout,
    color,
    names,
    logDir,
    quiet: options.quiet,
  });
  const reporter = createReporter({
    output,
    err: term.stderr,
    color: term.color.stderr,
    interactive: term.interactive,
    verbose: args.verbose,
    // Service lines stream on the same screen: a failure does not repeat them.
    linesShown: !options.quiet,
  });
  let dashboard: Dashboard | null = null;
  let supervisor: Supervisor | undefined;
  // The one fan-out of the session's events. The ready table shows the dashboard's URL.
  const bus = new EventBus((event) =>
    reporter(
      event.type === 'all-ready' && dashboard !== null
        ? { ...event, dashboard: dashboard.url }
        : event,
    ),
  );
  const emit = bus.emit;

  // Nothing is started until everything that can fail early has been checked: the lock, leftovers
  // of earlier sessions, ports, dotenv files. A failure here leaves nothing running.
  const cleanups: (() => void)[] = [];
  // Bound while the ports are resolved, so it costs the start-up nothing.
  const serving =
    options.dashboard && manifest.dashboard !== false
      ? serveDashboard({
          manifest,
          session: id,
          port: manifest.dashboard,
          logDir,
          output,
          emit,
          supervisor: () => supervisor as Supervisor,
        })
      : Promise.resolve(null);
  // Started now, so its own Node start-up overlaps the checks below instead of competing with
  // the services' start-ups for the CPU.
  const inherited = inheritedEnv(term, color);
  const watchdogStarting = startWatchdog({ session: id, env: inherited });
  watchdogStarting.catch(() => {}); // awaited below; a failure surfaces there
  try {
    const handoff = handoffFrom(term.env);
    const stale = dynamic ? [] : earlierSessions(manifest, emit, handoff);
    // Claimed before the ports: a down from now on finds this session and stops it.
    const claim = claimSession({ manifest, session: id, dynamic, names, handoff, file: args.file });
    cleanups.push(() => claim.release());
    // Leftovers of an earlier session are stopped whole, even if a down arrives meanwhile.
    await reapEarlier(manifest, emit, stale);
    let plan: LaunchPlan;
    if (detached?.plan) plan = takeOver(detached.plan, id);
    else {
      const prepared = await claim.guard(
        prepareLaunch({
          manifest,
          order: names,
          session: id,
          args,
          inherited,
          interactive: term.interactive,
        }),
      );
      // Holders the plan stops are stopped whole; a down that came meanwhile ends it after.
      await applyLaunch(manifest, prepared, emit);
      plan = await claim.guard(Promise.resolve(prepared.plan));
    }
    const ports = plan.resolved;

    const watchdog = await claim.guard(watchdogStarting);
    dashboard = await claim.guard(serving);
    const supervised = superviseSession({
      manifest,
      plan,
      session: id,
      dynamic,
      output,
      bus,
      watchdog,
      dashboard: dashboard?.url ?? null,
      exitOnFailure: options.exitOnFailure ?? args.exitOnFailure,
    });
    const { specs, recorder, spawned } = supervised;
    const sup = supervised.supervisor;
    supervisor = sup;
    // A browser only for a person at a terminal, never in CI.
    if (args.open && term.interactive && !term.env.CI && !detached) {
      bus.subscribe(browserOpener(manifest, Object.fromEntries(specs.map((s) => [s.name, s.url]))));
    }
    // up SERVICE for a service this session does not run yet: it joins (grow-session.ts).
    const grow = (wanted: readonly string[], portOptions?: PortOptions) =>
      growSession(
        {
          manifest,
          session: id,
          args: { ...args, dynamic },
          inherited,
          supervisor: sup,
          emit,
          runnerFor: (planned) => {
            names.push(planned.name);
            const { primary = null, ...named } = planned.ports;
            ports[planned.name] = { primary, named };
            return supervised.runnerFor(planned);
          },
        },
        wanted,
        portOptions,
      );
    const control = await openControl(manifest, id, sup, emit, grow);
    const ending = new EndRecord(recorder.file, id);
    bus.subscribe(ending.listener);
    bus.subscribe(collectOnceReady());
    optimizeOnHeavyOutput();
    claim.route((request) => {
      if (request.services.length === 0) sup.requestStop({ kind: 'down' });
      else {
        const withDependents = request.services.flatMap((s) => [s, ...dependentsOf(manifest, s)]);
        void sup.stopServices(withDependents);
      }
    });
    const commandEnv = commandEnvironment({
      manifest,
      ports,
      processEnv: inherited,
      dotenv: loadDotenvFiles(manifest.env_file),
      session: id,
    });
    const shown = dashboard;
    return {
      manifest,
      id,
      ports,
      supervisor: sup,
      output,
      emit,
      watchdog,
      dashboard: shown,
      commandEnv,
      close: () =>
        closeSession({
          manifest,
          id,
          dynamic,
          names,
          ports,
          specs,
          spawned,
          control,
          dashboard: shown,
          recorder,
          ending,
          cleanups,
          output,
          watchdog,
          emit,
        }),
    };
  } catch (error) {
    await (await serving.catch(() => null))?.close();
    await (await watchdogStarting.catch(() => null))?.dispose();
    for (const cleanup of cleanups.reverse()) cleanup();
    await output.close();
    throw error;
  }
}
