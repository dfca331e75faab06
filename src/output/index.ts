/**
 * Everything devlaunch prints: service output (prefixed lines, log files) and devlaunch's own
 * messages (the reporter of SupervisorEvents).
 */
export type { LineGate, LineListener, ListenOptions } from './line-listeners.js';
export { LineSplitter } from './line-splitter.js';
export { LogFiles, logFilePath } from './log-files.js';
export { createReporter, type ReporterOptions } from './reporter.js';
export {
  type OutputStats,
  ServiceOutput,
  type ServiceOutputOptions,
} from './service-output.js';
export { renderTable, stripAnsi, visibleWidth } from './table.js';
