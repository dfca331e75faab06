/**
 * Doctor: what `.devlaunch/` records. Read-only on purpose: unlike `up` and `down`, which stop
 * what a dead session left behind and move a corrupt state file aside, doctor only reports.
 */
import { relative } from 'node:path';
import { listSessionFiles, readState, type SessionState } from '../../state/index.js';
import { processesOf, supervisorAlive } from '../reap.js';
import { type CheckResult, ok, plural, warn } from './check.js';

export function checkState(root: string): CheckResult[] {
  const files = listSessionFiles(root);
  const results: CheckResult[] = [];
  for (const file of files) {
    const shown = relative(root, file);
    const read = readState(file);
    if (read.kind === 'none') continue; // removed since it was listed
    if (read.kind === 'corrupt') {
      results.push(
        warn(
          'state',
          `${shown} is unreadable (${read.reason})`,
          'devlaunch up and down move it aside and carry on, without stopping anything it names; devlaunch ports shows whether old processes still hold ports.',
        ),
      );
      continue;
    }
    results.push(sessionResult(read.state, shown));
  }
  if (results.length === 0) results.push(ok('state', 'no session recorded: nothing runs'));
  return results;
}

function sessionResult(state: SessionState, shown: string): CheckResult {
  const kind = state.dynamic ? '--dynamic session' : 'session';
  const since = `since ${state.startedAt}`;
  if (supervisorAlive(state)) {
    return ok(
      'state',
      `${kind} ${state.session} runs (supervisor pid ${state.supervisor.pid}, ${since})`,
    );
  }
  const left = processesOf(state);
  const gone = `the supervisor (pid ${state.supervisor.pid}) of ${kind} ${state.session} (${since}) is gone`;
  if (left.length === 0) {
    return warn(
      'state',
      `${gone}; none of its processes runs, only ${shown} is left`,
      'devlaunch down removes it (devlaunch up does too, before starting).',
    );
  }
  const which = left.map((p) => `${p.service} pid ${p.pid}`).join(', ');
  return warn(
    'state',
    `${gone}, but ${plural(left.length, 'process', 'processes')} it started still ${left.length === 1 ? 'runs' : 'run'}: ${which}`,
    'devlaunch down stops them (verified by pid and start time); devlaunch up does too, before starting.',
  );
}
