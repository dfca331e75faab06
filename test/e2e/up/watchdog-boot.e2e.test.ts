/**
 * kill -9 of devlaunch, then signals to its watchdog while the watchdog's Node starts: on POSIX
 * the watchdog is a shell until devlaunch dies, and the Node process that stops the services
 * needs a Node start (≈ 0.1 s, more at load) before it handles any signal. A SIGTERM from a
 * user, a process manager stopping the group or a CI runner cancelling the job can land in that
 * window; the services must still be stopped. The window is hit on purpose: the test signals
 * in a tight loop until the watchdog's Node program shows in /proc (its exec has happened, its
 * start has not finished), then signals it again at once.
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanupTracked, isAlive, track, waitFor } from '../../helpers/processes.js';
import {
  busyPorts,
  ensureCliBuilt,
  leftovers,
  removeProjects,
  type up,
  upWithTrees,
} from './helpers.js';

beforeAll(ensureCliBuilt, 120_000);

afterEach(async () => {
  await cleanupTracked();
  removeProjects();
});

function read(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** The session's watchdog among the CLI's leftovers: DEVLAUNCH_ROLE=watchdog. */
function watchdogOf(pids: number[]): number | undefined {
  return pids.find((pid) =>
    read(`/proc/${pid}/environ`).split('\0').includes('DEVLAUNCH_ROLE=watchdog'),
  );
}

/**
 * The watchdog and its children (Linux: /proc/PID/task/PID/children) that run Node's
 * watchdog-main (the shell stage has its path among its arguments, not as its program).
 */
function nodeStages(watchdog: number): number[] {
  const children = read(`/proc/${watchdog}/task/${watchdog}/children`).split(' ').filter(Boolean);
  return [watchdog, ...children.map(Number)].filter((pid) => {
    const [program, script] = read(`/proc/${pid}/cmdline`).split('\0');
    return program === process.execPath && script?.endsWith('watchdog-main.cjs') === true;
  });
}

/**
 * Sends `signals` in turn to `target` (the watchdog's pid, or its process group) in a tight
 * loop; each time a Node watchdog not seen before shows up, signals again at once, while it is
 * starting. Stops after `starts` such Node starts, or when the watchdog is gone. Synchronous on
 * purpose: nothing may delay the signal that follows the exec. Returns the Node starts hit.
 */
function signalThroughStarts(
  watchdog: number,
  target: number,
  signals: NodeJS.Signals[],
  starts: number,
): number[] {
  const hit: number[] = [];
  const deadline = Date.now() + 10_000;
  let n = 0;
  const send = () => {
    try {
      process.kill(target, signals[n++ % signals.length]);
      return true;
    } catch {
      return false; // the watchdog (group) is gone
    }
  };
  while (hit.length < starts && Date.now() < deadline) {
    if (!send()) break;
    for (const pid of nodeStages(watchdog)) {
      if (hit.includes(pid)) continue;
      hit.push(pid);
      send();
    }
  }
  return hit;
}

/** `up` of the trees (helpers.ts upWithTrees), all ready, and its watchdog. */
async function upWithTreesAndWatchdog() {
  const { cli, ports, running } = await upWithTrees();
  const watchdog = watchdogOf(running);
  expect(watchdog, `no watchdog among ${running.join(', ')}`).toBeDefined();
  track(watchdog);
  // devlaunch, watchdog, sh→server + sleep, spawn-grandchild's three processes
  expect(running.length).toBeGreaterThanOrEqual(7);
  return { cli, ports, watchdog: watchdog! };
}

/** Every process of the session ends (the watchdog too), and the ports are free again. */
async function expectAllStopped(cli: ReturnType<typeof up>, ports: number[], watchdog: number) {
  await waitFor(() => leftovers(cli).length === 0, {
    timeoutMs: 15_000,
    what: `every process of the session to end (left: ${leftovers(cli).join(', ')})`,
  });
  expect(isAlive(watchdog)).toBe(false);
  expect(await busyPorts(ports)).toEqual([]);
}

describe.runIf(process.platform === 'linux')('the watchdog while its Node starts', () => {
  it('kill -9 of devlaunch, then SIGTERM to the watchdog during its Node start: the services are still stopped', async () => {
    const { cli, ports, watchdog } = await upWithTreesAndWatchdog();
    process.kill(cli.pid, 'SIGKILL');
    const hit = signalThroughStarts(watchdog, watchdog, ['SIGTERM'], 1);
    expect(hit.length, 'the watchdog never started its Node program').toBe(1);
    await expectAllStopped(cli, ports, watchdog);
  });

  it('SIGTERM, SIGINT and SIGHUP to its whole process group through two Node starts: the services are still stopped', async () => {
    const { cli, ports, watchdog } = await upWithTreesAndWatchdog();
    process.kill(cli.pid, 'SIGKILL');
    const hit = signalThroughStarts(watchdog, -watchdog, ['SIGTERM', 'SIGINT', 'SIGHUP'], 2);
    await expectAllStopped(cli, ports, watchdog);
    // A second Node start means the first was killed while starting, and a new one took over.
    expect(hit.length, `Node starts signalled: ${hit.join(', ')}`).toBe(2);
  });
});
