/**
 * The port part of the launch plan, pure: for every port the session asks for, the port it
 * gets and why, from facts gathered beforehand (ports/gather.ts) and the run's options.
 *
 *   facts ──planPorts──▶ each port: ok | ask | needs-port | fail | twice
 *     ask ──the person's answer (a fact)──▶ plan again
 *     needs-port ──a free port found (a fact)──▶ plan again
 *     fail / twice ──▶ nothing happens: the run ends with the reason
 */
import { dict } from '../dict.js';
import type { ResolvedPorts } from '../env/names.js';
import type { Manifest } from '../manifest/types.js';
import type { HolderDetail, LaunchFacts, PortFinding } from './facts.js';
import { decidePort, type FailReason, remapCandidates } from './port-policy.js';
import { type PortRequest, portRequests } from './port-requests.js';

/** Why a service gets its port. */
export type PortReason = 'preferred' | 'reclaimed' | 'freed' | 'remapped' | 'dynamic';

export type PortLine = PortRequest &
  (
    | { status: 'ok'; port: number; reason: 'preferred' | 'dynamic' }
    /** `stop`: the holders stopped first (ours from a dead session, or foreign on request). */
    | { status: 'ok'; port: number; reason: 'reclaimed' | 'freed'; stop: HolderDetail[] }
    | { status: 'ok'; port: number; reason: 'remapped'; from: number; why: string }
    /** A foreign holder and the `ask` policy: the person is asked before anything happens. */
    | { status: 'ask'; port: number; holders: HolderDetail[] }
    /** A fresh port is needed: `candidates` in order, then any port from the OS. */
    | {
        status: 'needs-port';
        reason: 'remapped' | 'dynamic';
        from: number | null;
        why: string | null;
        candidates: number[];
      }
    | { status: 'fail'; port: number; failure: FailReason; finding: PortFinding }
    /** The same port is asked for by an earlier request (`with`). */
    | { status: 'twice'; port: number; with: string }
  );

export interface PortPlanInput {
  manifest: Manifest;
  /** The services to start, in start order (plan/graph.ts). */
  order: readonly string[];
  /** `--dynamic`: every port fresh from the OS, nothing stopped. */
  dynamic: boolean;
  /** `--port NAME=PORT`, by label. */
  overrides: Record<string, number>;
  /** `--kill` / `--remap` / `--fail`, or null. */
  conflict: 'kill' | 'remap' | 'fail' | null;
  /** Someone can be asked. */
  interactive: boolean;
  facts: LaunchFacts;
  /**
   * The ports of services already running in the session (`up SERVICE` adding one to it):
   * the others' variables carry these, not their preferred ports. Default: none.
   */
  running?: ResolvedPorts;
}

export interface PortPlan {
  lines: PortLine[];
  /** Every service's ports, those outside the session at their preferred port. */
  resolved: ResolvedPorts;
  /** Every line is `ok`. */
  complete: boolean;
}

/** The port of every request of the session, and why; see the diagram above. */
export function planPorts(input: PortPlanInput): PortPlan {
  const requests = portRequests(input.manifest, input.order, input.overrides);
  const preferred = new Set(requests.flatMap((r) => (r.preferred === 'auto' ? [] : [r.preferred])));
  const taken = new Map<number, string>();
  const lines = requests.map((request) => {
    const line = portLine(input, request, preferred, taken);
    if (line.status === 'ok') taken.set(line.port, request.label);
    return line;
  });
  const resolved = preferredPorts(input.manifest);
  for (const [service, ports] of Object.entries(input.running ?? {})) {
    if (Object.hasOwn(resolved, service))
      resolved[service] = { ...ports, named: { ...ports.named } };
  }
  for (const line of lines) {
    if (line.status !== 'ok') continue;
    const entry = resolved[line.service]!;
    if (line.name === 'primary') entry.primary = line.port;
    else entry.named[line.name] = line.port;
  }
  return { lines, resolved, complete: lines.every((l) => l.status === 'ok') };
}

function portLine(
  input: PortPlanInput,
  request: PortRequest,
  preferred: ReadonlySet<number>,
  taken: ReadonlyMap<number, string>,
): PortLine {
  const fresh = input.facts.fresh[request.label];
  if (input.dynamic || request.preferred === 'auto') {
    return fromOs(request, fresh);
  }
  const port = request.preferred;
  const earlier = taken.get(port);
  if (earlier !== undefined) return { ...request, status: 'twice', port, with: earlier };
  const finding = input.facts.ports[port];
  if (finding === undefined) throw new Error(`port ${port} was not probed before planning`);
  const decision = decidePort(
    {
      preferred: port,
      dynamic: false,
      override: input.conflict,
      onConflict: input.manifest.services[request.service]?.on_conflict ?? null,
      interactive: input.interactive,
      answer: input.facts.answers[request.label],
    },
    finding,
  );
  const holders = finding.kind === 'held' ? finding.holders : [];
  switch (decision.kind) {
    case 'keep':
      return { ...request, status: 'ok', port, reason: 'preferred' };
    case 'os':
      return fromOs(request, fresh);
    case 'reclaim':
      return { ...request, status: 'ok', port, reason: 'reclaimed', stop: holders };
    case 'stop':
      return { ...request, status: 'ok', port, reason: 'freed', stop: holders };
    case 'remap': {
      if (fresh !== undefined) {
        return {
          ...request,
          status: 'ok',
          port: fresh,
          reason: 'remapped',
          from: port,
          why: decision.reason,
        };
      }
      const avoid = new Set([...preferred, ...taken.keys()]);
      const range = input.manifest.port_range;
      return {
        ...request,
        status: 'needs-port',
        reason: 'remapped',
        from: port,
        why: decision.reason,
        candidates: remapCandidates(port, range, avoid, input.facts.reserved),
      };
    }
    case 'ask':
      return { ...request, status: 'ask', port, holders };
    case 'fail':
      return { ...request, status: 'fail', port, failure: decision.reason, finding };
  }
}

/** Services outside the session still get their variables, at their preferred ports. */
function preferredPorts(manifest: Manifest): ResolvedPorts {
  const resolved: ResolvedPorts = dict();
  for (const [service, config] of Object.entries(manifest.services)) {
    const named = dict<number>();
    for (const [name, p] of Object.entries(config.ports)) if (p !== 'auto') named[name] = p;
    resolved[service] = { primary: typeof config.port === 'number' ? config.port : null, named };
  }
  return resolved;
}

/** A port the OS hands out: the one gathered as a fact, or a request to find one. */
function fromOs(request: PortRequest, fresh: number | undefined): PortLine {
  if (fresh !== undefined) return { ...request, status: 'ok', port: fresh, reason: 'dynamic' };
  return {
    ...request,
    status: 'needs-port',
    reason: 'dynamic',
    from: null,
    why: null,
    candidates: [],
  };
}
