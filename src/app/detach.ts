/**
 * `devlaunch up -d` (`--detach`, `--wait`): plan and apply the ports here, where a question can
 * still be asked on the terminal, then hand the plan to a background supervisor that holds
 * none of the caller's terminal or pipes (so `out=$(devlaunch up -d)` returns), and wait until
 * every service is ready (exit 0, with the table) or the supervisor gives up (exit with its
 * code, and why). The supervisor starts what the plan says: it does not probe ports again.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ExitCode } from '../errors.js';
import { loadManifest } from '../manifest/index.js';
import type { Manifest } from '../manifest/types.js';
import { painter } from '../output/colors.js';
import { createReporter, ServiceOutput } from '../output/index.js';
import { renderServiceTable } from '../output/service-table.js';
import { checkServiceNames, startOrder, withDependencies } from '../plan/graph.js';
import type { LaunchPlan } from '../plan/launch-plan.js';
import { type BackgroundProcess, startBackground } from '../process/launch.js';
import {
  assertUsableState,
  lastDynamicLogsDir,
  readState,
  type SessionState,
} from '../state/index.js';
import { exitCodeOf, onStopSignals, type StopSignal } from '../supervisor/signals.js';
import { type Claim, claimSession } from './claim.js';
import { sendDownRequest } from './control.js';
import { earlierSessions, reapEarlier } from './earlier-sessions.js';
import { applyLaunch, handOver, prepareLaunch } from './launch.js';
import type { Terminal, UpArgs } from './options.js';
import { longestStop } from './reap.js';
import { newSessionId } from './session-env.js';
import { stopCommand } from './targets.js';
import { waitUntil } from './wait.js';

const POLL_MS = 25;
/** A service waited on this long may have been on the progress line: its ready line follows. */
const SHOWN_AFTER_MS = 1000;

export async function upDetached(
  args: UpArgs,
  term: Terminal,
  exit: (code: number) => never,
): Promise<number> {
  const manifest = loadManifest({ file: args.file, cwd: term.cwd, env: term.env });
  checkServiceNames(manifest, args.services);
  const names = startOrder(manifest, withDependencies(manifest, args.services));
  // What happens before detaching (leftovers reclaimed, ports remapped) is said here, on stderr.
  const output = new ServiceOutput({
    out: term.stderr,
    color: term.color.stderr,
    names,
    logDir: null,
  });
  const note = createReporter({
    output,
    err: term.stderr,
    color: term.color.stderr,
    // Waiting for readiness: a progress line in place on a terminal, every 5 s into a pipe.
    interactive: term.stderr.isTTY === true,
    verbose: args.verbose,
  });
  assertUsableState(manifest.root, { write: true });
  const stale = args.dynamic ? [] : earlierSessions(manifest, note);
  const id = newSessionId();
  // Claimed before the ports are resolved (and asked about): down can stop it from now on.
  const claim = claimSession({
    manifest,
    session: id,
    dynamic: args.dynamic,
    names,
    file: args.file,
  });
  // Ctrl+C, SIGTERM or a closed terminal before `up -d` returns stops what it started: before
  // the hand-over nothing runs yet (the claim goes with the exit); after it, the session.
  let handedOver = false;
  let stopBy: StopSignal | null = null;
  const removeSignals = onStopSignals((signal) => {
    if (signal === 'SIGHUP') output.hangup();
    if (handedOver) stopBy ??= signal;
    else exit(exitCodeOf(signal));
  });
  try {
    // Planned and applied here, where a question can still be asked; the supervisor takes it over.
    let prepared: Awaited<ReturnType<typeof prepareLaunch>>;
    try {
      await reapEarlier(manifest, note, stale);
      prepared = await claim.guard(
        prepareLaunch({
          manifest,
          order: names,
          session: id,
          args,
          inherited: term.env,
          interactive: term.interactive,
        }),
      );
      await applyLaunch(manifest, prepared, note);
      await claim.guard(Promise.resolve());
    } catch (error) {
      claim.release();
      throw error;
    }
    const file = claim.file;
    const logFile = join(dirname(file), 'supervisor.log');
    const child = startSupervisor(
      { args, term, manifest, claim, session: id, logFile },
      prepared.plan,
    );
    // The supervisor takes over the lock and the state, and reads down requests from now on.
    claim.handOver();
    handedOver = true;

    const begun = Date.now();
    // Services still starting, for the progress line (the reporter throttles it); one that was
    // slow enough to be shown there gets its ready line when it is ready.
    const waiting = new Set<string>();
    const showProgress = (services: { name: string; state: string }[], elapsedMs: number) => {
      for (const s of services) {
        if (s.state !== 'ready' && s.state !== 'completed') {
          waiting.add(s.name);
          note({ type: 'service-waiting', service: s.name, check: s.state, elapsedMs });
        } else if (waiting.delete(s.name) && elapsedMs >= SHOWN_AFTER_MS) {
          note({ type: 'service-ready', service: s.name, elapsedMs });
        }
      }
    };
    for (;;) {
      if (stopBy !== null) {
        output.clearProgress();
        await stopStarted(manifest, file, id, child, stopBy, note);
        return exitCodeOf(stopBy);
      }
      const exitCode = child.exitCode();
      if (exitCode !== null) {
        output.clearProgress();
        term.stderr.write(explainFailure(logFile, manifest.root));
        // 0: stopped by devlaunch down while starting (or every service completed).
        return exitCode;
      }
      const read = readState(file);
      if (read.kind === 'ok') showProgress(read.state.services, Date.now() - begun);
      if (
        read.kind === 'ok' &&
        read.state.supervisor.pid === child.pid &&
        allReady(read.state.services)
      ) {
        child.unref();
        output.clearProgress();
        printReady(manifest, read.state, args, file, term, logFile);
        return ExitCode.ok;
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  } finally {
    removeSignals();
  }
}

/**
 * The background supervisor: it runs `up` again, detached, with the plan made here, its own
 * output going to `logFile`. It holds none of the caller's terminal or pipes.
 */
function startSupervisor(
  at: {
    args: UpArgs;
    term: Terminal;
    manifest: Manifest;
    claim: Claim;
    session: string;
    logFile: string;
  },
  plan: LaunchPlan,
): BackgroundProcess {
  const { args, term, manifest, claim, session: id, logFile } = at;
  mkdirSync(dirname(claim.file), { recursive: true });
  const planFile = join(dirname(claim.file), `plan-${id}.json`);
  handOver(plan, planFile);
  const out = openSync(logFile, 'w');
  const child = startBackground(
    [
      term.script,
      'up',
      ...args.services,
      '--file',
      manifest.file,
      ...(args.force ? ['--force'] : []),
      ...(args.exitOnFailure ? ['--exit-on-failure'] : []),
      ...(args.verbose ? ['--verbose'] : []),
      ...(args.open ? [] : ['--no-open']),
      ...(args.dashboard ? [] : ['--no-dashboard']),
      '--no-color',
    ],
    {
      cwd: term.cwd,
      outFd: out,
      env: {
        ...term.env,
        DEVLAUNCH_DETACHED_SESSION: id,
        DEVLAUNCH_DETACHED_DYNAMIC: args.dynamic ? '1' : '',
        DEVLAUNCH_DETACHED_PLAN: planFile,
        // Every process devlaunch starts carries the session; the role keeps sweeps off it.
        DEVLAUNCH_SESSION: id,
        DEVLAUNCH_ROLE: 'supervisor',
        DEVLAUNCH_HANDOFF: `${claim.self.pid}:${claim.self.startTime}`,
      },
    },
  );
  closeSync(out);
  return child;
}

/**
 * The session this `up -d` started is stopped as `devlaunch down` would (the supervisor stops
 * every service in reverse dependency order), and `up -d` returns once the supervisor is gone.
 */
async function stopStarted(
  manifest: Manifest,
  file: string,
  session: string,
  child: { pid: number | undefined; exitCode(): number | null },
  signal: StopSignal,
  note: ReturnType<typeof createReporter>,
): Promise<void> {
  const begun = Date.now();
  note({
    type: 'message',
    level: 'info',
    text: `${signal} received: stopping every service of session ${session}`,
  });
  if (child.pid !== undefined) {
    // Until the supervisor has taken the session over it may still be starting, and the nudge
    // would end it before it listens: it finds the request when it claims the session.
    const read = readState(file);
    const listening = read.kind === 'ok' && read.state.supervisor.pid === child.pid;
    sendDownRequest(
      file,
      child.pid,
      { services: [], requestedBy: process.pid, session },
      { nudge: listening },
    );
  }
  const longest = longestStop(manifest, Object.keys(manifest.services));
  if (await waitUntil(() => child.exitCode() !== null, longest)) {
    note({ type: 'stopped', elapsedMs: Date.now() - begun });
  } else {
    note({
      type: 'message',
      level: 'warn',
      text: `the background supervisor (pid ${child.pid}) is still stopping`,
      hint: 'devlaunch down stops what is left',
    });
  }
}

function allReady(services: { state: string }[]): boolean {
  return (
    services.length > 0 && services.every((s) => s.state === 'ready' || s.state === 'completed')
  );
}

function printReady(
  manifest: Manifest,
  state: SessionState,
  args: UpArgs,
  file: string,
  term: Terminal,
  logFile: string,
): void {
  term.stdout.write(`${renderServiceTable(state.services, ['SERVICE', 'URL', 'PID', 'PORTS'])}\n`);
  const color = painter(term.color.stderr);
  // As the foreground's ready table: the dashboard's URL, or why there is none.
  if (state.dashboard) term.stdout.write(`dashboard ${state.dashboard}\n`);
  else if (args.dashboard && manifest.dashboard !== false) {
    const why = readLog(logFile)
      .split('\n')
      .find((line) => line.includes('no dashboard:'));
    if (why) term.stderr.write(`${why}\n`);
  }
  const stop = stopCommand({ id: state.session, dynamic: state.dynamic }, args.file);
  term.stderr.write(
    `${color.dim('devlaunch')} ${manifest.name} runs in the background; logs in ${join(dirname(file), 'logs')}. Stop it with: ${stop}\n`,
  );
}

function readLog(file: string): string {
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

/** The supervisor's own report (its failure message and the service's last lines). */
function explainFailure(logFile: string, root: string): string {
  // A --dynamic session's folder is gone once it ended: its output moved to last-dynamic/.
  const kept = join(lastDynamicLogsDir(root), 'supervisor.log');
  const text = readLog(existsSync(logFile) ? logFile : kept);
  const lines = text.trimEnd().split('\n').slice(-40).join('\n');
  return lines
    ? `${lines}\n`
    : 'devlaunch: the background supervisor stopped before every service was ready\n';
}
