/**
 * Warnings from the process layer (e.g. "services run without a job object"). This layer never
 * prints: cli/ installs the sink that does, so the warning lands where devlaunch's other
 * messages go. Until then (tests, a background supervisor without one) warnings are dropped.
 */
let sink: (message: string) => void = () => {};

export function setProcessWarningSink(write: (message: string) => void): void {
  sink = write;
}

export function processWarning(message: string): void {
  sink(message);
}
