/**
 * Gathers the facts the launch plan decides on (plan/port-plan.ts): what each preferred port's
 * probe finds and, for a busy one, who holds it, whose it is and whether it may be stopped;
 * then, for the requests the plan says need one, a fresh free port. Reads only: nothing is
 * stopped or written here.
 */
import { dict } from '../dict.js';
import type { Manifest } from '../manifest/types.js';
import type { HolderDetail, PortFinding } from '../plan/facts.js';
import type { PortLine } from '../plan/port-plan.js';
import type { PortRequest } from '../plan/port-requests.js';
import { listProcesses } from '../process/index.js';
import { windowsReservedRanges } from './holders/index.js';
import { killContext, killRefusal } from './kill-safety.js';
import { type ClassifiedHolder, holdersOf } from './ownership.js';
import { dynamicPort, firstFreePort, probePort } from './probe.js';

export interface GatheredPorts {
  /** By preferred port. */
  findings: Record<number, PortFinding>;
  /** The holders behind each held port, as found: what stopping them needs (ports/apply.ts). */
  holders: Map<number, ClassifiedHolder[]>;
  reserved: { from: number; to: number }[];
}

/** Probes every preferred port of `requests` (none with `dynamic`), and classifies holders. */
export async function gatherPortFacts(
  manifest: Manifest,
  requests: readonly PortRequest[],
  options: { dynamic: boolean; force: boolean },
): Promise<GatheredPorts> {
  const ports = options.dynamic
    ? []
    : [...new Set(requests.flatMap((r) => (r.preferred === 'auto' ? [] : [r.preferred])))];
  const findings: Record<number, PortFinding> = {};
  const holders = new Map<number, ClassifiedHolder[]>();
  let ctx: ReturnType<typeof killContext> | undefined;
  // Distinct ports, probed at once: each probe binds only its own port.
  const probes = await Promise.all(ports.map((port) => probePort(port)));
  for (const [i, port] of ports.entries()) {
    const probe = probes[i] as Awaited<ReturnType<typeof probePort>>;
    if (probe.free) {
      findings[port] = { kind: 'free' };
      continue;
    }
    if (probe.reason === 'forbidden') {
      findings[port] = { kind: 'forbidden', code: probe.code };
      continue;
    }
    const found = await holdersOf([port], manifest.root);
    if (found.length === 0 && (await probePort(port)).free) {
      findings[port] = { kind: 'free' }; // the holder went away meanwhile
      continue;
    }
    ctx ??= killContext(listProcesses(), options.force);
    const context = ctx;
    holders.set(port, found);
    const details: HolderDetail[] = found.map((h) => ({
      pid: h.pid,
      owner: h.owner,
      refusal: killRefusal(h, context),
      session: h.classification.session,
      user: h.user,
      command: h.command,
    }));
    // Busy, but the OS would not say by whom (another user's socket, no privileges).
    if (details.length === 0) {
      details.push({ pid: null, owner: 'foreign', refusal: null, user: null, command: null });
    }
    findings[port] = { kind: 'held', holders: details };
  }
  return { findings, holders, reserved: await windowsReservedRanges() };
}

/**
 * A free port for each line that needs one: the first free remap candidate, else (and for
 * dynamic ports) one outside the kernel's ephemeral range (probe.ts `dynamicPort`), never
 * reserved, never one of the session's ports.
 */
export async function findFreshPorts(
  lines: readonly PortLine[],
  reserved: { from: number; to: number }[],
): Promise<Record<string, number>> {
  const fresh = dict<number>();
  const avoid = new Set<number>();
  for (const line of lines) {
    if (line.status === 'ok') avoid.add(line.port);
    if (line.preferred !== 'auto') avoid.add(line.preferred);
  }
  const needs = lines.filter((line) => line.status === 'needs-port');
  // Remap candidates in order, one at a time: two lines may list the same candidates.
  for (const line of needs) {
    if (line.reason !== 'remapped') continue;
    const port = await firstFreePort(line.candidates, { exclude: avoid, reserved });
    if (port === null) continue;
    fresh[line.label] = port;
    avoid.add(port);
  }
  // The rest picked at once: each port is reserved as it is handed out (probe.ts), so
  // two concurrent asks never get the same one.
  const anyPort = needs.filter((line) => !Object.hasOwn(fresh, line.label));
  const ports = await Promise.all(anyPort.map(() => dynamicPort(avoid, reserved)));
  for (const [i, line] of anyPort.entries()) fresh[line.label] = ports[i] as number;
  return fresh;
}
