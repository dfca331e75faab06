/** The shape of the Win32 calls devlaunch makes (win/api.ts binds them; tests fake them). */

/** An open kernel handle (a pointer-sized value). */
export type Handle = bigint;

export interface SnapshotEntry {
  pid: number;
  ppid: number;
  exe: string;
}

export interface OwnerInfo {
  sid: string;
  /** DOMAIN\user, or the SID when it has no name. */
  user: string;
}

/** The OS facts about processes, sockets and jobs (injectable: see identity.ts, stop.ts). */
export interface WinApi {
  /** Every process: pid, parent pid, executable name (CreateToolhelp32Snapshot). */
  snapshot(): SnapshotEntry[];
  /** Creation time as FILETIME (100 ns since 1601) in decimal; null if exited or not openable. */
  creationTime(pid: number): string | null;
  imagePath(pid: number): string | null;
  commandLine(pid: number): string | null;
  owner(pid: number): OwnerInfo | null;
  /** Terminal Services session id; 0 is the session of system services. */
  sessionId(pid: number): number | null;
  /** Raw GetExtendedTcpTable(TCP_TABLE_OWNER_PID_LISTENER) for AF_INET (4) or AF_INET6 (6). */
  tcpListenerTable(family: 4 | 6): Buffer | null;
  /** A job that kills every process in it when its last handle closes, with no breakaway. */
  createKillOnCloseJob(): Handle;
  assignToJob(job: Handle, pid: number): boolean;
  terminateJob(job: Handle, exitCode: number): boolean;
  /** Processes alive in the job, or null when it cannot be queried. */
  jobActiveCount(job: Handle): number | null;
  jobPids(job: Handle): number[] | null;
  /** Copies `handle` into process `pid`; returns its value there, or null. */
  duplicateInto(handle: Handle, pid: number): Handle | null;
  closeHandle(handle: Handle): void;
  /**
   * CTRL_BREAK_EVENT to a process group of the caller's console (0: the whole console).
   * Returns 0, or the Win32 error code when Windows refused.
   */
  ctrlBreak(group: number): number;
}
