/**
 * Which port holders devlaunch may stop on request (`--kill`, `on_conflict: kill`, "stop it"
 * when asked, `devlaunch free`), and stopping them. The pure rule is `killRefusal`;
 * `killContext` reads the facts about the running devlaunch it needs (uid, ancestors);
 * `stopHolders` does the stopping; `waitBindable` (probe.ts) checks that the port is free again.
 */

import type { Refusal } from '../plan/facts.js';
import { stopTree } from '../process/index.js';
import type { ProcessInfo } from '../process/types.js';

export interface KillContext {
  /** devlaunch's own pid. */
  selfPid: number;
  /** devlaunch's uid, or null where uids do not exist (Windows). */
  selfUid: number | null;
  /** Windows: devlaunch's owner SID (null or absent when unknown or elsewhere). */
  selfSid?: string | null;
  /** devlaunch's ancestors (its shell, terminal, npm, ...): stopping one would stop devlaunch. */
  ancestors: ReadonlySet<number>;
  /** `--force`: allow other users' and system processes. Default false. */
  force: boolean;
  /** Default: the running platform. */
  platform?: NodeJS.Platform;
}

export type { Refusal };

/**
 * Why `holder` must not be stopped, or null when it may be. Never: pid 0 and 1 (init), and
 * devlaunch or one of its ancestors (the stop would end devlaunch itself, and the process
 * layer refuses to signal them anyway). Unless `force`: kernel threads and Windows system
 * processes, and processes of another user.
 */
export function killRefusal(holder: ProcessInfo, ctx: KillContext): Refusal | null {
  const platform = ctx.platform ?? process.platform;
  if (holder.pid <= 1) {
    return { forceable: false, reason: `pid ${holder.pid} is the system's init process` };
  }
  if (holder.pid === ctx.selfPid) {
    return { forceable: false, reason: `pid ${holder.pid} is this devlaunch process itself` };
  }
  if (ctx.ancestors.has(holder.pid)) {
    return {
      forceable: false,
      reason: `pid ${holder.pid} is a parent of this devlaunch (its shell, terminal or launcher)`,
    };
  }
  if (ctx.force) return null;
  if (isSystemProcess(holder, platform)) {
    return {
      forceable: true,
      reason: `pid ${holder.pid} (${holder.command}) is a system process`,
    };
  }
  if (platform === 'win32') return windowsOwnerRefusal(holder, ctx);
  if (ctx.selfUid !== null && holder.uid !== null && holder.uid !== ctx.selfUid) {
    return {
      forceable: true,
      reason: `pid ${holder.pid} belongs to another user (${holder.user || holder.uid}), not to you`,
    };
  }
  return null;
}

/**
 * Windows: a process whose owner cannot be read (protected, elevated, or another user's) or
 * differs from devlaunch's is not the user's to stop without --force.
 */
function windowsOwnerRefusal(holder: ProcessInfo, ctx: KillContext): Refusal | null {
  if (holder.sid === undefined) return null; // no owner facts gathered: nothing to compare
  if (holder.sid === null) {
    return {
      forceable: true,
      reason: `pid ${holder.pid} (${holder.command}): its owner cannot be read (a protected, elevated or another user's process)`,
    };
  }
  if (ctx.selfSid && holder.sid !== ctx.selfSid) {
    return {
      forceable: true,
      reason: `pid ${holder.pid} belongs to another user (${holder.user || holder.sid}), not to you`,
    };
  }
  return null;
}

/** Windows processes that keep the system running: stopping one can crash or log out. */
const WINDOWS_CRITICAL = new Set([
  'system',
  'registry',
  'memory compression',
  'smss.exe',
  'csrss.exe',
  'wininit.exe',
  'winlogon.exe',
  'services.exe',
  'lsass.exe',
  'lsaiso.exe',
  'svchost.exe',
  'fontdrvhost.exe',
  'dwm.exe',
]);
/** LocalSystem, LocalService, NetworkService. */
const WINDOWS_SERVICE_SIDS = new Set(['S-1-5-18', 'S-1-5-19', 'S-1-5-20']);

/**
 * Kernel threads (kthreadd, pid 2, and its children on Linux); on Windows System and Idle,
 * anything in session 0 (services), the critical system executables and the service accounts.
 * A parent pid of 0 alone proves nothing: in a container, `docker exec` shells have one.
 */
export function isSystemProcess(p: ProcessInfo, platform: NodeJS.Platform): boolean {
  if (platform === 'win32') {
    if (p.pid === 4 || p.pid === 0 || p.winSession === 0) return true;
    const exe = (p.exe ?? p.command.split(/[\\/]/).pop()?.split(' ')[0] ?? '').toLowerCase();
    return WINDOWS_CRITICAL.has(exe) || (p.sid != null && WINDOWS_SERVICE_SIDS.has(p.sid));
  }
  if (platform === 'linux') return p.pid === 2 || p.ppid === 2;
  return p.pid === 0;
}

/** devlaunch's ancestors, walked through `table` by parent pid. */
export function ancestorsOf(pid: number, table: readonly ProcessInfo[]): Set<number> {
  const byPid = new Map(table.map((p) => [p.pid, p]));
  const out = new Set<number>();
  for (let p = byPid.get(pid); p !== undefined && p.ppid > 0 && !out.has(p.ppid); ) {
    out.add(p.ppid);
    p = byPid.get(p.ppid);
  }
  return out;
}

/** The facts about this devlaunch process a kill decision needs. */
export function killContext(table: readonly ProcessInfo[], force: boolean): KillContext {
  const uid = typeof process.getuid === 'function' ? process.getuid() : null;
  const ancestors = ancestorsOf(process.pid, table);
  ancestors.add(process.ppid);
  const selfSid = table.find((p) => p.pid === process.pid)?.sid ?? null;
  return { selfPid: process.pid, selfUid: uid, selfSid, ancestors, force };
}

/** A holder to stop, with the recorded tree it belongs to when it is one of ours. */
export interface StopRequest {
  holder: ProcessInfo;
  /** For a stale-ours holder: the recorded service process and its session (stopped too). */
  recorded?: { pid: number; startTime: string; session: string } | null;
}

/**
 * Stops each holder's whole tree: `signal`, then SIGKILL after `timeoutMs`. A holder that
 * leads its own process group has the group signalled (its workers go too); otherwise only
 * it and its descendants are, never the group it shares with its parent (a shell, an IDE).
 * Identity is pinned by start time, so a pid reused meanwhile is never signalled.
 */
export async function stopHolders(
  requests: readonly StopRequest[],
  opts: { signal: string; timeoutMs: number },
): Promise<{ pid: number; forced: boolean }[]> {
  return Promise.all(
    requests.map(async ({ holder, recorded }) => {
      const own = stopTree(
        {
          pid: holder.pid,
          pgid: holder.pgid === holder.pid ? holder.pgid : null,
          startTime: holder.startTime,
        },
        opts,
      );
      const tree = recorded
        ? stopTree(
            {
              pid: recorded.pid,
              pgid: null,
              startTime: recorded.startTime,
              session: recorded.session,
            },
            opts,
          )
        : Promise.resolve({ forced: false });
      const [a, b] = await Promise.all([own, tree]);
      return { pid: holder.pid, forced: a.forced || b.forced };
    }),
  );
}
