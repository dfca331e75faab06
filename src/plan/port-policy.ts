/**
 * The pure decision for one requested port, from facts gathered beforehand (probe result,
 * classified holders, refusals) and the run's flags. No I/O: ports/ gathers the facts and applies the decision.
 *
 *   --dynamic / auto ──────────────────────────▶ os
 *   free ──────────────────────────────────────▶ keep
 *   forbidden (EACCES) ── remap ──▶ remap, else ▶ fail(forbidden)
 *   held by a live session of ours ── remap ──▶ remap, else ▶ fail(ours)
 *   held only by stale-ours ───────────────────▶ reclaim (never a question)
 *   held by anything else ── policy:
 *       kill  ──▶ stop (or fail(refused) when a holder may not be stopped)
 *       remap ──▶ remap        fail ──▶ fail(foreign)
 *       ask   ──▶ ask, then the answer: stop ▶ as kill, another ▶ remap, abort ▶ fail(aborted)
 */
import type { ConflictPolicy } from '../manifest/types.js';
import type { Ownership, Refusal } from './facts.js';

/** One holder as the policy sees it. `pid: null`: the OS would not say who holds the port. */
export interface HolderFact {
  pid: number | null;
  owner: Ownership;
  /** Why it may not be stopped (see kill-safety.ts), or null. */
  refusal: Refusal | null;
  /** For `ours`: the live session holding it. */
  session?: string | null;
}

export type PortFact =
  | { kind: 'free' }
  | { kind: 'forbidden'; code: string }
  | { kind: 'held'; holders: HolderFact[] };

export type AskAnswer = 'stop' | 'remap' | 'abort';

export interface PolicyInput {
  /** The preferred port, or 'auto'. */
  preferred: number | 'auto';
  /** --dynamic: every port from the OS. */
  dynamic: boolean;
  /** --kill / --remap / --fail, overriding on_conflict for the run; null when none given. */
  override: 'kill' | 'remap' | 'fail' | null;
  /** The service's on_conflict; null means `ask` on a terminal, `fail` otherwise. */
  onConflict: ConflictPolicy | null;
  /** Standard input and output are both terminals. */
  interactive: boolean;
  /** The user's answer, once asked. */
  answer?: AskAnswer;
}

export type FailReason = 'forbidden' | 'ours' | 'foreign' | 'refused' | 'aborted' | 'unknown';

export type PortDecision =
  | { kind: 'os' }
  | { kind: 'keep'; port: number }
  | { kind: 'reclaim'; port: number }
  | { kind: 'stop'; port: number }
  | { kind: 'remap'; from: number; reason: string }
  | { kind: 'ask'; port: number }
  | { kind: 'fail'; port: number; reason: FailReason };

/**
 * The policy in force for a foreign holder: the flag, else on_conflict, else by terminal. With
 * nobody to ask (no terminal), `ask` is `fail`: the conflict is reported with all the others.
 */
export function effectivePolicy(input: PolicyInput): ConflictPolicy {
  if (input.override !== null) return input.override;
  const policy = input.onConflict ?? 'ask';
  return policy === 'ask' && !input.interactive ? 'fail' : policy;
}

export function decidePort(input: PolicyInput, fact: PortFact): PortDecision {
  if (input.dynamic || input.preferred === 'auto') return { kind: 'os' };
  const port = input.preferred;
  const policy = effectivePolicy(input);
  if (fact.kind === 'free') return { kind: 'keep', port };
  if (fact.kind === 'forbidden') {
    return policy === 'remap'
      ? { kind: 'remap', from: port, reason: `port ${port} cannot be bound (${fact.code})` }
      : { kind: 'fail', port, reason: 'forbidden' };
  }
  const holders = fact.holders;
  const live = holders.find((h) => h.owner === 'ours');
  if (live) {
    // A live session of this project (a parallel --dynamic run) is never stopped.
    return policy === 'remap'
      ? { kind: 'remap', from: port, reason: `held by session ${live.session ?? '?'}` }
      : { kind: 'fail', port, reason: 'ours' };
  }
  if (holders.length > 0 && holders.every((h) => h.owner === 'stale-ours')) {
    return { kind: 'reclaim', port };
  }
  const chosen = policy === 'ask' && input.answer !== undefined ? input.answer : policy;
  switch (chosen) {
    case 'ask':
      return { kind: 'ask', port };
    case 'kill':
    case 'stop':
      return stopOrRefuse(port, holders);
    case 'remap':
      return { kind: 'remap', from: port, reason: remapReason(port, holders) };
    case 'fail':
      return { kind: 'fail', port, reason: 'foreign' };
    case 'abort':
      return { kind: 'fail', port, reason: 'aborted' };
  }
}

function stopOrRefuse(port: number, holders: HolderFact[]): PortDecision {
  // Nothing known to stop: the holder is hidden from us (another user's socket, no privileges).
  if (holders.length === 0 || holders.some((h) => h.pid === null)) {
    return { kind: 'fail', port, reason: 'unknown' };
  }
  if (holders.some((h) => h.refusal !== null)) return { kind: 'fail', port, reason: 'refused' };
  return { kind: 'stop', port };
}

function remapReason(port: number, holders: HolderFact[]): string {
  const pids = holders.flatMap((h) => (h.pid === null ? [] : [h.pid]));
  return pids.length > 0
    ? `port ${port} is held by pid ${pids.join(', ')}`
    : `port ${port} is in use`;
}

/** How many ports above the preferred one are tried before asking the OS for any port. */
export const ABOVE_PREFERRED = 100;

/**
 * Where a remapped port is looked for, in order: `port_range` (from the port after the
 * preferred one, wrapping around), then the ports just above the preferred one. Ports in
 * `avoid` (other services' preferred or already given ports) and in `reserved` ranges (Windows
 * excluded ranges) never appear. After these, the resolver asks the OS for any port.
 */
export function remapCandidates(
  preferred: number,
  range: { from: number; to: number } | null,
  avoid: ReadonlySet<number>,
  reserved: readonly { from: number; to: number }[] = [],
): number[] {
  const out: number[] = [];
  const seen = new Set<number>();
  const push = (p: number) => {
    if (p < 1 || p > 65535 || p === preferred || avoid.has(p) || seen.has(p)) return;
    if (reserved.some((r) => p >= r.from && p <= r.to)) return;
    seen.add(p);
    out.push(p);
  };
  if (range !== null) {
    const start = preferred >= range.from && preferred < range.to ? preferred + 1 : range.from;
    for (let p = start; p <= range.to; p++) push(p);
    for (let p = range.from; p < start; p++) push(p);
  }
  for (let p = preferred + 1; p <= Math.min(65535, preferred + ABOVE_PREFERRED); p++) push(p);
  return out;
}
