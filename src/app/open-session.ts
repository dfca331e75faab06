/**
 * Turns a manifest into a running session: manifest → selection → ports → environments →
 * runners under one supervisor. `up` and `run` share it; they differ only in what they do
 * while the session runs.
 */
import { randomBytes } from 'node:crypto';
import type { Dashboard } from '../dashboard/server.js';
import { commandEnvironment, loadDotenvFiles, type ResolvedPorts } from '../env/index.js';
import { DevlaunchError } from '../errors.js';
import { loadManifest } from '../manifest/index.js';
import type { Manifest } from '../manifest/types.js';
import { EventBus, type EventSink } from '../output/events.js';
import { createReporter, ServiceOutput } from '../output/index.js';
import { checkServiceNames, dependentsOf, startOrder, withDependencies } from '../plan/graph.js';
import type { LaunchPlan, PlannedService } from '../plan/launch-plan.js';
import { portsListenedBy, waitAllBindable } from '../ports/index.js';
import {
  descendantsOf,
  describeExit,
  killTreeNow,
  spawnService,
  startWatchdog,
  stopTree,
  type Watchdog,
} from '../process/index.js';
import {
  assertUsableState,
  logsDir,
  retireSession,
  type SessionState,
  sessionFile,
} from '../state/index.js';
import { ServiceRunner, type ServiceSpec } from '../supervisor/service-runner.js';
import { Supervisor } from '../supervisor/supervisor.js';
import { claimSession, handoffFrom, type Identity } from './claim.js';
import { openControl } from './control-handler.js';
import { followDaemon, stopEscapedDaemons } from './daemons.js';
import { serveDashboard } from './dashboard.js';
import { EndRecord } from './end-record.js';
import { growSession } from './grow-session.js';
import { applyLaunch, prepareLaunch, takeOver } from './launch.js';
import { withBrowserOpening } from './open-browser.js';
import type { GlobalArgs, Terminal } from './options.js';
import { inspectSessions, reapSession } from './reap.js';
import { SessionRecorder } from './recorder.js';

const PORT_RELEASE_WAIT_MS = 3000;

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

/**
 * A background supervisor started by `up -d` learns its session from its parent, which has
 * already planned and applied the ports (asking on the terminal where needed) and handed the
 * plan over in a file.
 */
interface DetachedChild {
  session: string;
  dynamic: boolean;
  /** The launch plan file (app/launch.ts `handOver`). */
  plan: string | null;
}

function detachedChild(env: Readonly<Record<string, string | undefined>>): DetachedChild | null {
  const session = env.DEVLAUNCH_DETACHED_SESSION;
  if (!session) return null;
  return {
    session,
    dynamic: env.DEVLAUNCH_DETACHED_DYNAMIC === '1',
    plan: env.DEVLAUNCH_DETACHED_PLAN || null,
  };
}

/** Set by `up -d` for its background supervisor only: never passed on to what it starts. */
const SUPERVISOR_ONLY = [
  'DEVLAUNCH_HANDOFF',
  'DEVLAUNCH_DETACHED_SESSION',
  'DEVLAUNCH_DETACHED_DYNAMIC',
  'DEVLAUNCH_DETACHED_PLAN',
  'DEVLAUNCH_ROLE',
];

/**
 * The environment services (and the watchdog) inherit: devlaunch's own, without what marks a
 * background supervisor (the services must not look like one to a sweep), and with FORCE_COLOR
 * when devlaunch colours their output, so that they colour too.
 */
function inheritedEnv(term: Terminal, color: boolean): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(term.env)) {
    if (v !== undefined && !SUPERVISOR_ONLY.includes(k)) env[k] = v;
  }
  if (color && env.FORCE_COLOR === undefined) env.FORCE_COLOR = '1';
  return env;
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

export function newSessionId(): string {
  return randomBytes(6).toString('hex');
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
  // The ready table shows the dashboard's URL.
  const emit: EventSink = (event) =>
    reporter(
      event.type === 'all-ready' && dashboard !== null
        ? { ...event, dashboard: dashboard.url }
        : event,
    );

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
    const specs = plan.services.map((planned) => serviceSpec(manifest, planned, id));
    // A browser only for a person at a terminal, never in CI.
    const person = term.interactive && !term.env.CI;
    const emitAll =
      args.open && person && !detached
        ? withBrowserOpening(emit, manifest, Object.fromEntries(specs.map((s) => [s.name, s.url])))
        : emit;

    const watchdog = await claim.guard(watchdogStarting);
    dashboard = await claim.guard(serving);
    const recorder = new SessionRecorder({
      file: sessionFile(manifest.root, dynamic ? id : undefined),
      project: manifest.name,
      session: id,
      dynamic,
      manifest: manifest.file,
      root: manifest.root,
      watchdog,
      dashboard: dashboard?.url ?? null,
    });
    // One bus for every event: the reporter prints them, subscribers (control, dashboard) see them.
    const bus = new EventBus(emitAll);
    // The start of each service's latest process: evidence for daemons that left it (daemons.ts).
    const spawned = new Map<string, string>();
    const runnerFor = (spec: ServiceSpec): ServiceRunner =>
      new ServiceRunner(spec, {
        spawn: spawnService,
        stopTree,
        killTreeNow,
        describeExit,
        listeningPorts: (pid) => portsListenedBy([pid, ...descendantsOf(pid).map((p) => p.pid)]),
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
    const runners: ServiceRunner[] = specs.map(runnerFor);
    supervisor = new Supervisor(runners, bus, {
      exitOnFailure: options.exitOnFailure ?? args.exitOnFailure,
    });
    recorder.track(runners);
    const sup = supervisor;
    // up SERVICE for a service this session does not run yet: it joins (grow-session.ts).
    const grow = (wanted: readonly string[]) =>
      growSession(
        {
          manifest,
          session: id,
          args: { ...args, dynamic },
          inherited,
          supervisor: sup,
          emit,
          runnerFor: (planned) => {
            const spec = serviceSpec(manifest, planned, id);
            specs.push(spec);
            names.push(spec.name);
            ports[spec.name] = plannedPorts(planned);
            return runnerFor(spec);
          },
        },
        wanted,
      );
    const control = await openControl(manifest, id, sup, emit, grow);
    const ending = new EndRecord(recorder.file, id);
    sup.subscribe(ending.listener);
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
    return {
      manifest,
      id,
      ports,
      supervisor,
      output,
      emit,
      watchdog,
      dashboard,
      commandEnv,
      close: async () => {
        await control?.close();
        await dashboard?.close();
        // A daemon that left a service's tree and erased its mark still holds the service's port.
        const daemons = await stopEscapedDaemons(
          specs.map((spec) => ({
            service: spec.name,
            ports: Object.values(spec.ports),
            spawned: spawned.get(spec.name) ?? null,
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
        // devlaunch returns only once every port it resolved can be bound again (bounded wait).
        const stillHeld = await waitAllBindable(portsOf(ports, names), PORT_RELEASE_WAIT_MS);
        if (stillHeld.length > 0) {
          emit({
            type: 'message',
            level: 'warn',
            text: `port ${stillHeld.join(', ')} still cannot be bound after every service stopped`,
            hint: `devlaunch ports ${stillHeld.join(' ')} shows what holds it.`,
          });
        }
        recorder.close();
        ending.write();
        for (const cleanup of cleanups.reverse()) cleanup();
        await output.close();
        await watchdog.dispose();
        retireSession({ root: manifest.root, session: id, dynamic });
      },
    };
  } catch (error) {
    await (await serving.catch(() => null))?.close();
    await (await watchdogStarting.catch(() => null))?.dispose();
    for (const cleanup of cleanups.reverse()) cleanup();
    await output.close();
    throw error;
  }
}

function plannedPorts(planned: PlannedService): ResolvedPorts[string] {
  const { primary = null, ...named } = planned.ports;
  return { primary, named };
}

function serviceSpec(manifest: Manifest, planned: PlannedService, session: string): ServiceSpec {
  return {
    name: planned.name,
    config: manifest.services[planned.name]!,
    command: planned.command,
    env: planned.env,
    ownEnv: planned.ownEnv,
    ports: planned.ports,
    url: planned.url,
    session,
  };
}

/**
 * Earlier sessions of the project, looked at before this one is claimed: a live main session
 * means this one must not start (exit 3); an unreadable state is reported; the sessions whose
 * supervisor is gone are returned, for `reapEarlier` once this session is claimed.
 */
export function earlierSessions(
  manifest: Manifest,
  emit: EventSink,
  handoff: Identity | null = null,
): SessionState[] {
  const stale: SessionState[] = [];
  for (const found of inspectSessions(manifest.root)) {
    if (found.kind === 'corrupt') {
      emit({
        type: 'message',
        level: 'warn',
        text: `the session state ${found.file} was unreadable (${found.reason}); it was moved to ${found.movedTo} and nothing it names was stopped`,
        hint: 'If processes of an earlier session still hold ports, devlaunch ports shows them.',
      });
      continue;
    }
    // The `up -d` that started this background supervisor: its claim is being handed over.
    const sup = found.state.supervisor;
    if (handoff && sup.pid === handoff.pid && sup.startTime === handoff.startTime) continue;
    if (found.kind === 'live' && !found.state.dynamic) throw sessionRunning(found.state);
    if (found.kind === 'stale') stale.push(found.state);
  }
  return stale;
}

/**
 * Leftovers of earlier sessions whose supervisor is gone are ours: stop them without asking.
 * Not cut short by a down: what was begun is finished, so nothing is left half stopped.
 */
export async function reapEarlier(
  manifest: Manifest,
  emit: EventSink,
  stale: readonly SessionState[],
): Promise<void> {
  for (const state of stale) {
    const stopped = await reapSession(
      state,
      sessionFile(manifest.root, state.dynamic ? state.session : undefined),
      (service) => manifest.services[service]?.stop_timeout ?? manifest.stop_timeout,
    );
    if (stopped.length > 0) {
      emit({
        type: 'message',
        level: 'info',
        text: `stopped ${stopped.length} leftover process${stopped.length === 1 ? '' : 'es'} of an earlier session (${stopped.map((p) => `${p.service} pid ${p.pid}`).join(', ')})`,
      });
    }
  }
}

export function sessionRunning(state: SessionState): DevlaunchError {
  return new DevlaunchError(
    'SESSION_RUNNING',
    `a session of ${state.project} is already running (pid ${state.supervisor.pid}, since ${state.startedAt})`,
    {
      hint: 'Stop it with devlaunch down, see it with devlaunch status, or start a separate one with --dynamic.',
    },
  );
}

/** Every port the given services resolved. */
function portsOf(ports: ResolvedPorts, names: readonly string[]): number[] {
  return names.flatMap((n) => {
    const p = ports[n];
    return p ? [...(p.primary === null ? [] : [p.primary]), ...Object.values(p.named)] : [];
  });
}
