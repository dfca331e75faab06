/**
 * Decides the port of every service of a session, before anything starts. Each decision is
 * explicit and reported: a free preferred port is kept, `auto` and `--dynamic` take a port
 * fresh from the OS, a port held by a stale process of this project is reclaimed, and any
 * other holder meets the conflict policy (ports/policy.ts): ask, kill, remap or fail.
 */

import { dict, hasKey } from '../dict.js';
import type { ResolvedPorts } from '../env/index.js';
import { DevlaunchError } from '../errors.js';
import type { Manifest, PortPreference, ServiceConfig } from '../manifest/types.js';
import type { EventSink } from '../output/events.js';
import { listProcesses } from '../process/index.js';
import { type Asker, isInteractive, terminalAsker } from './ask.js';
import { conflictError, portLabel, stillBusyError } from './explain.js';
import { firstFreePort, osPort, probePort, windowsReservedRanges } from './index.js';
import { killContext, killRefusal, stopHolders } from './kill-safety.js';
import { type ClassifiedHolder, holdersOf } from './ownership.js';
import {
  decidePort,
  type HolderFact,
  type PolicyInput,
  type PortFact,
  remapCandidates,
} from './policy.js';
import { waitBindable } from './probe.js';

export interface PortRequest {
  service: string;
  /** `primary` for `port:`, else the name under `ports:`. */
  name: string;
  preferred: PortPreference;
}

export interface PortResolveOptions {
  /** Every port fresh from the OS; preferred ports ignored; nothing killed. */
  dynamic: boolean;
  /** `--port NAME=PORT` overrides, by service name (primary port) or `service.name`. */
  overrides: Record<string, number>;
  /** `--kill` / `--remap` / `--fail` (see `conflictFlag`): overrides on_conflict. Default null. */
  conflict?: 'kill' | 'remap' | 'fail' | null;
  /** `--force`: may stop other users' and system processes. Default false. */
  force?: boolean;
  /** Someone can be asked (`ask`). Default: stdin and stdout are both terminals. */
  interactive?: boolean;
  /** Asks what to do about a foreign holder. Default: a question on the terminal. */
  ask?: Asker;
  /** Receives `port-reclaimed`, `port-freed` and `port-remapped`. Default: dropped. */
  emit?: EventSink;
}

/** The run's conflict flag; with several, the most careful wins (fail, then remap, then kill). */
export function conflictFlag(args: {
  kill: boolean;
  remap: boolean;
  fail: boolean;
}): 'kill' | 'remap' | 'fail' | null {
  if (args.fail) return 'fail';
  if (args.remap) return 'remap';
  return args.kill ? 'kill' : null;
}

/** How long a port may take to become bindable after its holder is gone. */
const BIND_WAIT_MS = 5000;

/** Every port the given services ask for, overrides applied. */
export function portRequests(
  manifest: Manifest,
  names: readonly string[],
  overrides: Record<string, number>,
): PortRequest[] {
  const requests: PortRequest[] = [];
  for (const service of names) {
    const config = manifest.services[service];
    if (!config) continue;
    if (config.port !== null) {
      requests.push({ service, name: 'primary', preferred: overrides[service] ?? config.port });
    }
    for (const [name, preferred] of Object.entries(config.ports)) {
      requests.push({ service, name, preferred: overrides[`${service}.${name}`] ?? preferred });
    }
  }
  return requests;
}

/** Parses `--port NAME=PORT` values; a bad one is a usage error (exit 2). */
export function parsePortOverrides(
  values: readonly string[],
  manifest: Manifest,
): Record<string, number> {
  const result = dict<number>();
  for (const value of values) {
    const match = /^([^=]+)=(\d+)$/.exec(value);
    const port = match ? Number(match[2]) : Number.NaN;
    if (!match?.[1] || port < 1 || port > 65535) {
      throw new DevlaunchError('USAGE', `--port ${value}: expected NAME=PORT with a port 1–65535`, {
        hint: 'For example --port backend=8001, or --port backend.debug=9230 for a named port.',
      });
    }
    const [service, named] = match[1].split('.', 2) as [string, string | undefined];
    const config = manifest.services[service];
    if (!config || (named !== undefined && !hasKey(config.ports, named))) {
      throw new DevlaunchError('USAGE', `--port ${value}: the manifest has no port ${match[1]}`, {
        hint: `Ports are named after services: ${Object.keys(manifest.services).join(', ')}.`,
      });
    }
    result[match[1]] = port;
  }
  return result;
}

export async function resolvePorts(
  manifest: Manifest,
  names: readonly string[],
  options: PortResolveOptions,
): Promise<ResolvedPorts> {
  const resolved: ResolvedPorts = dict();
  // Services outside this session still get their variables (a frontend may link to them):
  // their preferred ports, unchecked, since nothing of this session binds them.
  for (const [service, config] of Object.entries(manifest.services)) {
    const named = dict<number>();
    for (const [name, p] of Object.entries(config.ports)) if (p !== 'auto') named[name] = p;
    resolved[service] = { primary: typeof config.port === 'number' ? config.port : null, named };
  }
  const requests = portRequests(manifest, names, options.overrides);
  const resolver = new Resolver(manifest, options, requests);
  for (const request of requests) {
    const port = await resolver.resolve(request);
    const entry = resolved[request.service]!;
    if (request.name === 'primary') entry.primary = port;
    else entry.named[request.name] = port;
  }
  return resolved;
}

class Resolver {
  /** Ports given to this session so far. */
  private readonly taken = new Map<number, string>();
  /** Every preferred port of the session: a remap must not take another service's port. */
  private readonly preferred: Set<number>;
  private reserved: { from: number; to: number }[] | undefined;
  private readonly emit: EventSink;

  constructor(
    private readonly manifest: Manifest,
    private readonly options: PortResolveOptions,
    requests: PortRequest[],
  ) {
    this.preferred = new Set(
      requests.flatMap((r) => (r.preferred === 'auto' ? [] : [r.preferred])),
    );
    this.emit = options.emit ?? (() => {});
  }

  async resolve(request: PortRequest): Promise<number> {
    const port = await this.decide(request);
    this.taken.set(port, portLabel(request.service, request.name));
    return port;
  }

  private async decide(request: PortRequest): Promise<number> {
    const config = this.manifest.services[request.service]!;
    const label = portLabel(request.service, request.name);
    const input: PolicyInput = {
      preferred: request.preferred,
      dynamic: this.options.dynamic,
      override: this.options.conflict ?? null,
      onConflict: config.on_conflict,
      interactive: this.options.interactive ?? isInteractive(),
    };
    if (input.dynamic || request.preferred === 'auto') return this.fromOs();
    const port = request.preferred;
    const twice = this.taken.get(port);
    if (twice !== undefined) {
      throw new DevlaunchError('USAGE', `port ${port} is asked for by both ${twice} and ${label}`, {
        hint: `Give one of them another port with --port ${label}=PORT.`,
      });
    }
    const { fact, holders } = await this.facts(port);
    let decision = decidePort(input, fact);
    if (decision.kind === 'ask') {
      const ask = this.options.ask ?? terminalAsker;
      const answer = await ask({ service: request.service, label, port, holders });
      decision = decidePort({ ...input, answer }, fact);
    }
    switch (decision.kind) {
      case 'keep':
        return port;
      case 'os':
        return this.fromOs();
      case 'reclaim':
      case 'stop':
        await this.stop(request, config, port, holders);
        return port;
      case 'remap': {
        const to = await this.remap(port);
        this.emit({
          type: 'port-remapped',
          service: request.service,
          portName: request.name,
          from: port,
          to,
          reason: decision.reason,
        });
        return to;
      }
      case 'ask':
        throw new Error('the conflict policy asked twice');
      case 'fail': {
        const refusals =
          fact.kind === 'held' ? fact.holders.flatMap((h) => (h.refusal ? [h.refusal] : [])) : [];
        throw conflictError(decision.reason, {
          port,
          label,
          holders,
          session:
            fact.kind === 'held'
              ? (fact.holders.find((h) => h.owner === 'ours')?.session ?? null)
              : null,
          refusals,
          code: fact.kind === 'forbidden' ? fact.code : undefined,
        });
      }
    }
  }

  /** Probe, then (only for a busy port) who holds it and whether each may be stopped. */
  private async facts(port: number): Promise<{ fact: PortFact; holders: ClassifiedHolder[] }> {
    const probe = await probePort(port);
    if (probe.free) return { fact: { kind: 'free' }, holders: [] };
    if (probe.reason === 'forbidden')
      return { fact: { kind: 'forbidden', code: probe.code }, holders: [] };
    const holders = await holdersOf([port], this.manifest.root);
    if (holders.length === 0 && (await probePort(port)).free) {
      return { fact: { kind: 'free' }, holders }; // the holder went away meanwhile
    }
    const ctx = killContext(listProcesses(), this.options.force ?? false);
    const facts: HolderFact[] = holders.map((h) => ({
      pid: h.pid,
      owner: h.owner,
      refusal: killRefusal(h, ctx),
      session: h.classification.session,
    }));
    if (facts.length === 0) facts.push({ pid: null, owner: 'foreign', refusal: null });
    return { fact: { kind: 'held', holders: facts }, holders };
  }

  /** Stops every holder's tree (graceful, then forced) and waits until the port binds. */
  private async stop(
    request: PortRequest,
    config: ServiceConfig,
    port: number,
    holders: ClassifiedHolder[],
  ): Promise<void> {
    await stopHolders(
      holders.map((h) => {
        const c = h.classification;
        const recorded =
          c.owner === 'stale-ours' && c.root && c.session
            ? { ...c.root, session: c.session }
            : null;
        return { holder: h, recorded };
      }),
      { signal: 'SIGTERM', timeoutMs: config.stop_timeout },
    );
    for (const h of holders) {
      const type = h.owner === 'stale-ours' ? 'port-reclaimed' : 'port-freed';
      this.emit({ type, service: request.service, port, pid: h.pid, command: h.command });
    }
    if (!(await waitBindable(port, BIND_WAIT_MS))) {
      throw stillBusyError(port, portLabel(request.service, request.name), BIND_WAIT_MS);
    }
  }

  /** port_range, then above the preferred port, then any port from the OS; never reserved. */
  private async remap(from: number): Promise<number> {
    this.reserved ??= await windowsReservedRanges();
    const avoid = new Set([...this.preferred, ...this.taken.keys()]);
    const candidates = remapCandidates(from, this.manifest.port_range, avoid, this.reserved);
    return (
      (await firstFreePort(candidates, { exclude: avoid, reserved: this.reserved })) ??
      this.fromOs()
    );
  }

  /** A port from the OS, outside the Windows reserved ranges and this session's ports. */
  private async fromOs(): Promise<number> {
    const exclude = new Set([...this.taken.keys()]);
    for (;;) {
      const port = await osPort(exclude);
      this.reserved ??= await windowsReservedRanges();
      if (!this.reserved.some((r) => port >= r.from && port <= r.to)) return port;
      exclude.add(port);
    }
  }
}
