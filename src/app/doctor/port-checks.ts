/**
 * Doctor: each preferred port of the manifest, free or held, and by whom. Changes nothing: a
 * holder is only looked up and classified (this project's live session, a leftover of an earlier
 * session, or foreign), never stopped.
 */

import type { Manifest } from '../../manifest/index.js';
import { asAdmin, describeHolder } from '../../ports/explain.js';
import type { ClassifiedHolder } from '../../ports/ownership.js';
import { describePort, portReport } from '../port-report.js';
import { type CheckResult, error, ok, warn } from './check.js';

/**
 * One result per preferred port (`labels`: port → `service` or `service.name`, overrides
 * applied), from the port report `ports` prints. `forbidden`: ports nothing holds that this
 * user still may not bind.
 */
export async function checkPorts(
  manifest: Manifest,
  labels: Map<number, string>,
): Promise<{ results: CheckResult[]; forbidden: Set<number> }> {
  const ports = [...labels.keys()];
  if (ports.length === 0) {
    return { results: [ok('ports', 'the manifest prefers no fixed port')], forbidden: new Set() };
  }
  const report = await portReport(ports, labels, manifest.root);
  const forbidden = new Set<number>();
  const results = report.map(({ port, state }): CheckResult => {
    const label = labels.get(port) ?? String(port);
    const check = `port ${port}`;
    const message = `${label}: ${describePort(state)}`;
    switch (state.kind) {
      case 'free':
        return ok(check, message);
      case 'held':
        return heldResult(check, port, label, state.main, manifest);
      case 'forbidden':
        forbidden.add(port);
        return error(
          check,
          message,
          'A privileged or reserved port: see the privileged and reserved checks below, or pick another port.',
        );
    }
    return warn(
      check,
      message,
      `Run devlaunch doctor ${asAdmin()} to see the holder, or pick another port (--port ${label}=PORT).`,
    );
  });
  return { results, forbidden };
}

function heldResult(
  check: string,
  port: number,
  label: string,
  holder: ClassifiedHolder,
  manifest: Manifest,
): CheckResult {
  const who = describeHolder(holder);
  switch (holder.owner) {
    case 'ours':
      return ok(
        check,
        `${label}: held by this project's running session, ${holder.classification.service ?? 'a service'}: ${who}`,
      );
    case 'stale-ours':
      return warn(
        check,
        `${label}: held by a leftover of an earlier devlaunch session: ${who}`,
        'devlaunch up stops it and reuses the port without asking; devlaunch down stops it now.',
      );
    case 'foreign': {
      const service = manifest.services[label.split('.')[0] ?? ''];
      const resolve = `stop it with devlaunch free ${port}, take another port with --remap or --port ${label}=PORT, or run with --dynamic`;
      // `on_conflict: fail` makes up exit 3 on this port: that is an error, not a question.
      if (service?.on_conflict === 'fail') {
        return error(
          check,
          `${label}: held by ${who}; on_conflict: fail, so devlaunch up will exit 3`,
          `Free it first (devlaunch free ${port}), or override on_conflict for one run with --remap, --port ${label}=PORT or --dynamic.`,
        );
      }
      const policy = service?.on_conflict ?? 'ask';
      return warn(
        check,
        `${label}: held by another program, ${who}`,
        policy === 'ask'
          ? `devlaunch up will ask what to do (on a terminal; without one it fails). Or ${resolve}.`
          : `devlaunch up will ${policy === 'kill' ? 'stop it (on_conflict: kill)' : 'use another port (on_conflict: remap)'}. Or ${resolve}.`,
      );
    }
  }
}
