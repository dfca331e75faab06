/**
 * "Who holds this port": the listening TCP sockets on given ports and their pids, on every
 * platform. Linux reads /proc (no tool needed) and falls back to `ss`, then `lsof`, only for
 * sockets whose owner /proc would not show; macOS uses lsof; Windows the TCP tables of the OS
 * (GetExtendedTcpTable), with netstat and tasklist as a fallback.
 * All parsing is pure (the parse-*.ts files); this file only runs the tools.
 */
import { type WinApi, winApi } from '../../process/index.js';
import { runTool as run } from '../../process/launch.js';
import { reusedFor } from '../../reuse.js';
import type { Listener } from '../types.js';
import { listenersFromProc, listeningSockets, portsOfPids } from './linux-proc.js';
import { parseLsofF } from './parse-lsof.js';
import { parseExcludedPortRanges } from './parse-netsh.js';
import { parseNetstatAno } from './parse-netstat.js';
import { parseSs } from './parse-ss.js';
import { parseTasklistCsv } from './parse-tasklist.js';
import { parseTcpTable } from './parse-tcp-table.js';

export { parseExcludedPortRanges };

/** The listening TCP sockets on `ports`, one entry per (socket, process). */
export async function listenersOn(ports: number[]): Promise<Listener[]> {
  if (ports.length === 0) return [];
  const wanted = new Set(ports);
  if (process.platform === 'win32') return windowsListeners(wanted);
  if (process.platform === 'linux') {
    const fromProc = await listenersFromProc([...wanted]);
    if (!fromProc.tablesRead) return toolListeners(wanted);
    const unresolved = fromProc.listeners.filter((l) => l.pid === null);
    if (unresolved.length === 0) return fromProc.listeners;
    const fromTool = await toolListeners(new Set(unresolved.map((l) => l.port)));
    return mergeUnresolved(fromProc.listeners, fromTool);
  }
  return lsofListeners(wanted);
}

/** The TCP ports the given processes listen on (e.g. a service's tree), sorted; [] if unknown. */
export async function portsListenedBy(pids: number[]): Promise<number[]> {
  if (pids.length === 0) return [];
  const wanted = new Set(pids);
  let listeners: Listener[];
  if (process.platform === 'linux') {
    const fromProc = await portsOfPids(pids);
    if (fromProc !== null) return fromProc;
  }
  if (process.platform === 'win32') {
    const netstat = await run('netstat', ['-ano']);
    listeners = netstat === null ? [] : parseNetstatAno(netstat);
  } else {
    const text = await run('lsof', [
      '-nP',
      '-a',
      '-p',
      pids.join(','),
      '-iTCP',
      '-sTCP:LISTEN',
      '-FpcnL',
    ]);
    listeners = text === null ? [] : parseLsofF(text);
  }
  const ports = listeners.filter((l) => l.pid !== null && wanted.has(l.pid)).map((l) => l.port);
  return [...new Set(ports)].sort((a, b) => a - b);
}

/**
 * portsListenedBy() for many lookups in a row (every waiting service's wrong-port look): on
 * Linux the socket tables are read at most once per `shareMs` and that reading is shared,
 * instead of being read (into 64 KiB buffers) once per lookup.
 */
export function sharedPortsListenedBy(
  shareMs: number,
  now?: () => number,
): (pids: number[]) => Promise<number[]> {
  if (process.platform !== 'linux') return portsListenedBy;
  const sockets = reusedFor(shareMs, () => listeningSockets(), now);
  return async (pids) => {
    if (pids.length === 0) return [];
    return (await portsOfPids(pids, '/proc', sockets())) ?? portsListenedBy(pids);
  };
}

/** Windows reserved (excluded) TCP port ranges, IPv4 and IPv6 merged; [] elsewhere or on error. */
export async function windowsReservedRanges(): Promise<{ from: number; to: number }[]> {
  if (process.platform !== 'win32') return [];
  const outputs = await Promise.all(
    ['ipv4', 'ipv6'].map((family) =>
      run('netsh', ['interface', family, 'show', 'excludedportrange', 'protocol=tcp']),
    ),
  );
  const seen = new Set<string>();
  const ranges: { from: number; to: number }[] = [];
  for (const range of outputs.flatMap((text) => (text ? parseExcludedPortRanges(text) : []))) {
    const key = `${range.from}-${range.to}`;
    if (!seen.has(key)) ranges.push(range);
    seen.add(key);
  }
  return ranges.sort((a, b) => a.from - b.from);
}

/**
 * Replaces each pid-less /proc entry with what a tool saw on the same port and address
 * (`*` in ss/lsof means either wildcard; `::ffff:a.b.c.d` is the IPv4 address), keeping it
 * as `pid: null` when no tool knows more.
 */
function mergeUnresolved(fromProc: Listener[], fromTool: Listener[]): Listener[] {
  const known = fromTool.filter((l) => l.pid !== null);
  const merged: Listener[] = [];
  for (const listener of fromProc) {
    if (listener.pid !== null) {
      merged.push(listener);
      continue;
    }
    const samePort = known.filter((k) => k.port === listener.port);
    const sameAddress = samePort.filter((k) => sameHost(k.address, listener.address));
    const replacement = sameAddress.length > 0 ? sameAddress : samePort;
    const fresh = replacement.filter(
      (r) =>
        !merged.some((m) => m.port === r.port && m.pid === r.pid && sameHost(m.address, r.address)),
    );
    merged.push(...(replacement.length > 0 ? fresh : [listener]));
  }
  return merged;
}

function sameHost(a: string, b: string): boolean {
  const norm = (h: string) => (h.startsWith('::ffff:') && h.includes('.') ? h.slice(7) : h);
  const [x, y] = [norm(a), norm(b)];
  const wildcard = (h: string) => h === '*' || h === '0.0.0.0' || h === '::';
  return x === y || (wildcard(x) && wildcard(y));
}

/** Linux without usable /proc owners: `ss` first (iproute2 is everywhere), then lsof. */
async function toolListeners(ports: Set<number>): Promise<Listener[]> {
  const ss = await run('ss', ['-ltnpH']);
  const fromSs = ss === null ? [] : parseSs(ss).filter((l) => ports.has(l.port));
  if (fromSs.length > 0 && fromSs.every((l) => l.pid !== null)) return fromSs;
  const fromLsof = await lsofListeners(ports);
  return fromLsof.length > 0 ? fromLsof : fromSs;
}

async function lsofListeners(ports: Set<number>): Promise<Listener[]> {
  const list = [...ports].join(',');
  const text = await run('lsof', ['-nP', `-iTCP:${list}`, '-sTCP:LISTEN', '-FpcnL']);
  return text === null ? [] : parseLsofF(text).filter((l) => ports.has(l.port));
}

/**
 * Windows: the TCP stack's own tables (GetExtendedTcpTable, any system language, no tool);
 * `netstat -ano` and `tasklist` only when the Win32 API is unavailable.
 */
async function windowsListeners(ports: Set<number>): Promise<Listener[]> {
  const fromApi = listenersFromTcpTables(winApi());
  if (fromApi !== null) return fromApi.filter((l) => ports.has(l.port));
  const netstat = await run('netstat', ['-ano']);
  if (netstat === null) return [];
  const listeners = parseNetstatAno(netstat).filter((l) => ports.has(l.port));
  if (listeners.length === 0) return [];
  const tasklist = await run('tasklist', ['/FO', 'CSV', '/NH']);
  const names = new Map((tasklist ? parseTasklistCsv(tasklist) : []).map((t) => [t.pid, t.name]));
  return listeners.map((l) => {
    const name = l.pid === null ? undefined : names.get(l.pid);
    return name === undefined ? l : { ...l, processName: name };
  });
}

/** Both TCP tables through `api`; null when there is no API or neither table could be read. */
export function listenersFromTcpTables(
  api: Pick<WinApi, 'tcpListenerTable' | 'snapshot'> | null,
): Listener[] | null {
  if (api === null) return null;
  const v4 = api.tcpListenerTable(4);
  const v6 = api.tcpListenerTable(6);
  if (v4 === null && v6 === null) return null;
  const listeners = [
    ...(v4 === null ? [] : parseTcpTable(v4, 4)),
    ...(v6 === null ? [] : parseTcpTable(v6, 6)),
  ];
  const names = new Map(api.snapshot().map((p) => [p.pid, p.exe]));
  return listeners.map((l) => {
    const name = l.pid === null ? undefined : names.get(l.pid);
    return name === undefined ? l : { ...l, processName: name };
  });
}
