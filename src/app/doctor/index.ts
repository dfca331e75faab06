/**
 * `devlaunch doctor`: every check, in the order a user would fix things: the manifest, the
 * preferred ports, privileged and reserved ranges, where dynamic ports come from, the
 * project's recorded state, the tools.
 * Nothing is changed, stopped or moved.
 */

import { isDevlaunchError } from '../../errors.js';
import { parsePortOverrides } from '../../plan/port-requests.js';
import { ephemeralRange } from '../../ports/index.js';
import { manifestPorts } from '../port-report.js';
import type { CheckResult } from './check.js';
import { error } from './check.js';
import { checkManifest } from './manifest-check.js';
import { checkPorts } from './port-checks.js';
import { checkDynamicPorts, checkPrivileged, checkReserved } from './port-ranges.js';
import { checkState } from './state-check.js';
import { checkTools } from './tool-checks.js';
import { checkWindows } from './windows-checks.js';

export type { CheckResult, CheckStatus } from './check.js';

export interface DoctorOptions {
  /** `-f/--file`. Default: discovery from `cwd`. */
  file: string | undefined;
  cwd: string;
  env: Record<string, string | undefined>;
  /** `--port NAME=PORT` overrides, as written. Default none. */
  port: string[];
}

export async function runDoctor(opts: DoctorOptions): Promise<CheckResult[]> {
  const found = checkManifest(opts);
  const results: CheckResult[] = [found.result];
  if (found.manifest !== null) {
    const { manifest } = found;
    let labels: Map<number, string>;
    try {
      labels = manifestPorts(manifest, parsePortOverrides(opts.port, manifest));
    } catch (caught) {
      if (!isDevlaunchError(caught)) throw caught;
      results.push(error('--port', caught.message, caught.hint ?? null));
      labels = manifestPorts(manifest);
    }
    results.push(...(await checkPorts(manifest, labels)).results);
    results.push(checkPrivileged(labels));
    results.push(await checkReserved(labels));
    results.push(checkDynamicPorts(await ephemeralRange()));
  }
  if (found.root !== null) results.push(...checkState(found.root));
  results.push(...checkTools());
  if (process.platform === 'win32') results.push(...(await checkWindows()));
  return results;
}

/** 0 when nothing is an error (warnings included), else 1. */
export function doctorExitCode(results: readonly CheckResult[]): number {
  return results.some((r) => r.status === 'error') ? 1 : 0;
}
