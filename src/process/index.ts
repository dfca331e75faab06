/** The process layer: spawning services, process identity, stopping whole trees, the watchdog. */
export { ADOPTED_POLL_MS, adoptProcess } from './adopt.js';
export { killTreeNow, type StopOptions, type StopTarget, stopTree } from './kill-tree.js';
export {
  descendantsOf,
  isSameProcess,
  listProcessEntries,
  listProcesses,
  type ProcessEntry,
  processInfo,
  readEnviron,
  sessionMark,
  startTimeOf,
} from './proc-info.js';
export {
  type ProcStat,
  type PsRow,
  parsePasswd,
  parseProcStat,
  parsePsOutput,
} from './proc-parse.js';
export {
  describeExit,
  type SpawnedCommand,
  type SpawnedService,
  type SpawnOptions,
  spawnCommand,
  spawnService,
} from './spawn.js';
export { stoppedInTree } from './stopped.js';
export type { ProcessIdentity, ProcessInfo } from './types.js';
export { startWatchdog, type Watchdog, type WatchedService } from './watchdog.js';
export { type WinApi, winApi, winApiLoadError } from './win/api.js';
export { runToolOutput } from './win/taskkill.js';
