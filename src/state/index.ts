/** Session state on disk under `<project root>/.devlaunch/`: state files, the lock, paths. */
export { writeFileAtomic } from './atomic-write.js';
export {
  type LastSession,
  lastSessionFile,
  readLastSession,
  writeLastSession,
} from './last-session.js';
export { acquireLock, type LockOwner, type LockResult, releaseDeadLock } from './lock.js';
export {
  dynamicSessionDir,
  lastDynamicLogsDir,
  lockFile,
  logsDir,
  sessionFile,
  sessionsDir,
  stateDir,
} from './paths.js';
export { lastDynamicSession, retireSession } from './retire.js';
export {
  listSessionFiles,
  type ReadState,
  readState,
  removeState,
  type ServiceRecord,
  type ServiceState,
  type SessionState,
  writeState,
} from './session-state.js';
export { assertUsableState } from './usable.js';
