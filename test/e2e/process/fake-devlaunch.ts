/**
 * A stand-in for devlaunch in the watchdog tests (bundled and run as its own process): starts
 * the watchdog and three services of one session, watches them, and prints markers. The test
 * then kills it with SIGKILL (or, with MODE=dispose, lets it dispose the watchdog).
 * Env: SESSION (the DEVLAUNCH_SESSION), FIXTURES (directory of the fixture programs), PORT.
 */
import { spawnService, startWatchdog } from '../../../src/process/index.js';

const session = process.env.SESSION!;
const fixtures = process.env.FIXTURES!;
const base: Record<string, string> = {
  ...(process.env as Record<string, string>),
  DEVLAUNCH_SESSION: session,
};
delete base.SESSION;
const q = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

const watchdog = await startWatchdog({ session });
console.log(`WATCHDOG ${watchdog.pid}`);

const services: {
  name: string;
  command: string | string[];
  timeoutMs: number;
  env: Record<string, string>;
}[] = [
  // A shell whose background grandchild `sleep` the group signal must reach.
  {
    name: 'web',
    command: `sleep 300 & exec ${q(process.execPath)} server.mjs`,
    timeoutMs: 3000,
    env: {},
  },
  // Needs SIGKILL: gets it after its short timeout.
  {
    name: 'stubborn',
    command: [process.execPath, 'ignore-term.mjs'],
    timeoutMs: 300,
    env: { PORT: '0' },
  },
  // A daemon that left the tree: found through the session mark.
  {
    name: 'daemon',
    command: [process.execPath, 'daemonize.mjs'],
    timeoutMs: 1000,
    env: { PORT: '0' },
  },
];
let pending = services.length;
for (const s of services) {
  const env = { ...base, DEVLAUNCH_SERVICE: s.name, ...s.env };
  const spawned = await spawnService({ name: s.name, command: s.command, cwd: fixtures, env });
  watchdog.watch({
    pid: spawned.pid,
    pgid: spawned.pgid,
    startTime: spawned.startTime,
    signal: 'SIGTERM',
    timeoutMs: s.timeoutMs,
    session,
    service: s.name,
  });
  console.log(`SERVICE ${s.name} ${spawned.pid}`);
  let ready = false;
  spawned.stdout.setEncoding('utf8');
  spawned.stdout.on('data', (chunk: string) => {
    for (const line of chunk.split('\n')) if (line !== '') console.log(`${s.name}| ${line}`);
    if (!ready && /^(LISTENING|READY|DAEMON) /m.test(chunk)) {
      ready = true;
      pending -= 1;
      if (pending === 0) console.log('ALL READY');
    }
  });
}

if (process.env.MODE === 'dispose') {
  process.stdin.once('data', async () => {
    await watchdog.dispose();
    console.log('DISPOSED');
  });
}
setInterval(() => {}, 1 << 30);
