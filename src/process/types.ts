/** What devlaunch knows about a live process, from /proc on Linux or the platform's tools. */
export interface ProcessInfo {
  pid: number;
  ppid: number;
  /** Process group id (POSIX), or null where unknown. */
  pgid: number | null;
  uid: number | null;
  /** User name, or the uid as text when no name is known. */
  user: string;
  /** Full command line, arguments joined by spaces. */
  command: string;
  /**
   * When the process started, as an opaque, exact identity token that stays the same for the
   * life of the process and differs for a reused pid: on Linux the `starttime` field of
   * /proc/PID/stat (clock ticks since boot), elsewhere the creation time in ms since the epoch.
   */
  startTime: string;
  /** The same start, as an ISO 8601 time (approximate; for people). */
  startedAt: string;
  /** Windows: the owner's SID (null when the process cannot be opened). Absent elsewhere. */
  sid?: string | null;
  /** Windows: the Terminal Services session (0: system services). Absent elsewhere. */
  winSession?: number | null;
  /** Windows: the executable's file name, e.g. `node.exe`. Absent elsewhere. */
  exe?: string;
}

/** A process recorded by devlaunch: enough to prove a live process is that same one. */
export interface ProcessIdentity {
  pid: number;
  startTime: string;
}
