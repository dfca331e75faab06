/**
 * A fake process world for the supervisor: fake child processes (an EventEmitter with
 * PassThrough stdout/stderr and an exit the test controls, as concurrently's fixtures do) and
 * fake spawn / stop-tree / readiness / backoff clock, so ServiceRunner and Supervisor run
 * exactly as in a session, in milliseconds, without a single real process.
 */
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import type {
  DependencyCondition,
  ReadyCheck,
  RestartPolicy,
  ServiceConfig,
} from '../../../src/manifest/types.js';
import { EventBus, type SupervisorEvent } from '../../../src/output/events.js';
import { ServiceOutput } from '../../../src/output/index.js';
import type { SpawnedService, StopTarget } from '../../../src/process/index.js';
import type { ReadyContext, ReadyOutcome } from '../../../src/supervisor/readiness.js';
import { ServiceRunner } from '../../../src/supervisor/service-runner.js';
import { Supervisor, type SupervisorOptions } from '../../../src/supervisor/supervisor.js';

type Exit = { code: number | null; signal: NodeJS.Signals | null };

/** A child process whose life the test decides. */
export class FakeChild extends EventEmitter {
  readonly stdout = new PassThrough();
  readonly stderr = new PassThrough();
  exitCode: number | null = null;
  signalCode: NodeJS.Signals | null = null;
  /** Signals it ignores (a server that traps SIGTERM); SIGKILL always works. */
  readonly ignores = new Set<string>();
  /** Its readiness probe passes (`ready()`) or times out (`notReadyInTime()`). */
  probe: 'waiting' | 'pass' | 'timeout' = 'waiting';
  /** The TCP ports its tree listens on; `nextListening`, if set, replaces it at each look. */
  listening: number[] = [];
  nextListening: number[][] = [];
  readonly exit: Promise<Exit>;
  readonly exited: Promise<Exit>;
  private settleExit!: (exit: Exit) => void;

  constructor(
    readonly pid: number,
    readonly service: string,
  ) {
    super();
    this.exit = new Promise((resolve) => {
      this.settleExit = resolve;
    });
    // 'close' follows 'exit' once the pipes are drained: a turn of the event loop later.
    this.exited = this.exit.then((e) => new Promise((r) => setImmediate(() => r(e))));
  }

  get alive(): boolean {
    return this.exitCode === null && this.signalCode === null;
  }

  print(line: string): void {
    if (this.alive) this.stdout.write(`${line}\n`);
  }

  ready(): void {
    this.probe = 'pass';
    this.emit('probe');
  }

  notReadyInTime(): void {
    this.probe = 'timeout';
    this.emit('probe');
  }

  /** Ends the process: `end(1)` exits with code 1, `end(null, 'SIGTERM')` dies by a signal. */
  end(code: number | null, signal: NodeJS.Signals | null = null): void {
    if (!this.alive) return;
    this.exitCode = code;
    this.signalCode = signal;
    this.stdout.end();
    this.stderr.end();
    this.settleExit({ code, signal });
  }

  /** A signal arrives: ended by it unless it is ignored. */
  signal(signal: string): void {
    if (signal !== 'SIGKILL' && this.ignores.has(signal)) return;
    this.end(null, signal as NodeJS.Signals);
  }
}

/** How a fake service behaves each time it is spawned (attempt 0 is the first spawn). */
export type Program = (child: FakeChild, attempt: number) => void;

export interface FakeService {
  depends_on?: Record<string, DependencyCondition>;
  /** Default: a readiness check the fake child answers; null: ready once spawned. */
  ready?: ReadyCheck | null;
  restart?: RestartPolicy;
  max_restarts?: number;
  stop_timeout?: number;
  /** Resolved ports (`primary` is $PORT). Default none. */
  ports?: Record<string, number>;
  /** Default: becomes ready at once and runs until stopped. */
  program?: Program;
  /**
   * When its process exits 0, it leaves a daemon on its primary port (as
   * `redis-server --daemonize yes` does), which `daemon` programs. Default: no daemon.
   */
  daemon?: Program;
}

export const becomesReady: Program = (child) => child.ready();
export const runsForever: Program = () => {};
/** Traps SIGTERM (only SIGKILL ends it) and becomes ready. */
export const ignoresSigterm: Program = (child) => {
  child.ignores.add('SIGTERM');
  child.ready();
};
export const exitsWith =
  (code: number): Program =>
  (child) =>
    setImmediate(() => child.end(code));

interface HeldSpawn {
  release: () => void;
  fail: (message: string) => void;
}

/** The world: every spawn, stop and event, in order. */
export class FakeWorld {
  readonly events: SupervisorEvent[] = [];
  readonly children: FakeChild[] = [];
  /** `stopTree` and `killTreeNow` calls: `service signal` (`api SIGTERM`, `api SIGKILL!` forced). */
  readonly stops: string[] = [];
  /** How often a service's listening ports were looked up. */
  portLookups = 0;
  /** `findDaemon` calls: the exited process and how long it would wait. */
  readonly daemonLooks: { service: string; pid: number; waitMs: number }[] = [];
  /** Backoff waits asked for, in ms. */
  readonly backoffs: number[] = [];
  /** Services whose next spawn waits for the test (`held.get(name)?.release()`). */
  readonly held = new Map<string, HeldSpawn>();
  private readonly holdNext = new Set<string>();
  private nextPid = 1000;
  readonly supervisor: Supervisor;
  readonly out = new PassThrough();

  constructor(services: Record<string, FakeService>, options: SupervisorOptions = {}) {
    this.out.resume();
    const names = Object.keys(services);
    const output = new ServiceOutput({ out: this.out, color: false, names, logDir: null });
    const bus = new EventBus((event) => this.events.push(event));
    const emit = bus.emit;
    let supervisor: Supervisor | undefined;
    const runners = names.map((name) => {
      const def = services[name]!;
      const attempts = { count: 0 };
      return new ServiceRunner(
        {
          name,
          config: config(name, def),
          command: `fake ${name}`,
          env: () => ({}),
          ownEnv: () => ({}),
          ports: def.ports ?? {},
          url: null,
          session: 'test',
        },
        {
          spawn: (opts) => this.spawn(opts.name, def.program ?? becomesReady, attempts),
          stopTree: (target, opts) => this.stopTree(name, target, opts),
          killTreeNow: async (target) => {
            this.stops.push(`${name} SIGKILL!`);
            this.childOf(target)?.signal('SIGKILL');
          },
          describeExit: (code, signal) =>
            signal ? `killed by ${signal}` : `exited with code ${code}`,
          output,
          emit,
          watchdog: null,
          changed: () => {},
          failed: (service) => supervisor?.serviceFailed(service),
          waitReady: (_check, ctx) => this.waitReady(name, ctx),
          portLooks: { firstMs: 5, maxIntervalMs: 20, confirmMs: 20 },
          listeningPorts: async (pid) => {
            this.portLookups += 1;
            const child = this.children.find((c) => c.pid === pid);
            if (child === undefined) return [];
            child.listening = child.nextListening.shift() ?? child.listening;
            return child.listening;
          },
          findDaemon: async (spec, proc, opts) => {
            this.daemonLooks.push({ service: name, pid: proc.pid, waitMs: opts.waitMs });
            if (def.daemon === undefined) return null;
            const daemon = this.newChild(name, def.daemon, { count: 0 });
            return { proc: daemon, port: spec.ports.primary ?? 0, command: `${name} daemon` };
          },
          sleep: (ms, signal) => {
            this.backoffs.push(ms);
            return signal.aborted ? Promise.resolve() : new Promise((r) => setImmediate(r));
          },
        },
      );
    });
    supervisor = new Supervisor(runners, bus, options);
    this.supervisor = supervisor;
  }

  runner(name: string): ServiceRunner {
    const found = this.supervisor.services.find((r) => r.name === name);
    if (!found) throw new Error(`no service ${name}`);
    return found;
  }

  /** The latest process of a service. */
  child(name: string): FakeChild {
    const found = this.children.filter((c) => c.service === name).at(-1);
    if (!found) throw new Error(`${name} was never spawned`);
    return found;
  }

  spawned(name: string): number {
    return this.children.filter((c) => c.service === name).length;
  }

  /** Events as `type service` strings (`service-ready api`), optionally only these types. */
  log(...types: SupervisorEvent['type'][]): string[] {
    return this.events
      .filter((e) => types.length === 0 || types.includes(e.type))
      .map((e) => ('service' in e ? `${e.type} ${e.service}` : e.type));
  }

  /** The next spawn of `name` waits until `held.get(name)` releases or fails it. */
  holdSpawn(name: string): void {
    this.holdNext.add(name);
  }

  /**
   * Resolves once `predicate` holds, checking after every event-loop turn (at most `timeoutMs`:
   * as generous as the e2e helpers' waitFor, for a loaded machine; it only bounds a hang).
   */
  async until(predicate: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (performance.now() < deadline) {
      if (predicate()) return;
      await new Promise((r) => setImmediate(r));
    }
    throw new Error(`never happened: ${what}\nevents: ${this.log().join(', ')}`);
  }

  private async spawn(
    name: string,
    program: Program,
    attempts: { count: number },
  ): Promise<SpawnedService> {
    if (name.endsWith(' ready check')) throw new Error('fake world runs no ready commands');
    if (this.holdNext.delete(name)) {
      await new Promise<void>((resolve, reject) => {
        this.held.set(name, { release: resolve, fail: (m) => reject(new Error(m)) });
      });
      this.held.delete(name);
    }
    return this.newChild(name, program, attempts);
  }

  private newChild(name: string, program: Program, attempts: { count: number }): SpawnedService {
    const child = new FakeChild(this.nextPid++, name);
    this.children.push(child);
    const attempt = attempts.count++;
    setImmediate(() => program(child, attempt));
    return {
      pid: child.pid,
      pgid: child.pid,
      startTime: `t${child.pid}`,
      child: child as unknown as SpawnedService['child'],
      stdout: child.stdout,
      stderr: child.stderr,
      exit: child.exit,
      exited: child.exited,
    };
  }

  private childOf(target: StopTarget): FakeChild | undefined {
    return this.children.find((c) => c.pid === target.pid);
  }

  private async stopTree(
    name: string,
    target: StopTarget,
    opts: { signal: string; timeoutMs: number; force?: boolean },
  ): Promise<{ forced: boolean }> {
    const child = this.childOf(target);
    if (!child?.alive) return { forced: false };
    this.stops.push(`${name} ${opts.force ? 'SIGKILL!' : opts.signal}`);
    if (opts.force) {
      child.signal('SIGKILL');
      return { forced: true };
    }
    child.signal(opts.signal);
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<'timeout'>((r) => {
      timer = setTimeout(() => r('timeout'), opts.timeoutMs);
    });
    const outcome = await Promise.race([child.exit.then(() => 'gone' as const), graceOver]);
    clearTimeout(timer);
    if (outcome === 'gone') return { forced: false };
    child.signal('SIGKILL');
    return { forced: true };
  }

  /** The readiness probe: asks the fake child, which answers when the test says so. */
  private waitReady(name: string, ctx: ReadyContext): Promise<ReadyOutcome> {
    const child = this.child(name);
    return new Promise((resolve) => {
      const answer = () => {
        if (child.probe === 'pass') resolve({ ok: true, elapsedMs: 1 });
        else if (child.probe === 'timeout') resolve({ ok: false, reason: 'timeout', elapsedMs: 1 });
      };
      child.on('probe', answer);
      answer();
      void ctx.exited.then((e) => resolve({ ok: false, reason: 'exited', ...e }));
      if (ctx.signal.aborted) resolve({ ok: false, reason: 'aborted' });
      ctx.signal.addEventListener('abort', () => resolve({ ok: false, reason: 'aborted' }));
    });
  }
}

function config(name: string, def: FakeService): ServiceConfig {
  return {
    name,
    command: `fake ${name}`,
    cwd: '/',
    port: null,
    ports: {},
    host: 'localhost',
    env: {},
    env_file: [],
    depends_on: def.depends_on ?? {},
    ready: def.ready === undefined ? { log: 'fake', timeout: 1000, interval: 10 } : def.ready,
    on_conflict: null,
    stop_signal: 'SIGTERM',
    stop_timeout: def.stop_timeout ?? 1000,
    restart: def.restart ?? 'no',
    max_restarts: def.max_restarts ?? 3,
    open: null,
    url: null,
  };
}
