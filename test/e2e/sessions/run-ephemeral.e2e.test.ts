/**
 * Dynamic ports never come from the kernel's ephemeral range, where every outgoing connection
 * and every `listen(0)` of any process takes its local port: a port handed out from there could
 * be taken by such a connection before the service binds it. Linux only (the range is read
 * from /proc here, independently of devlaunch).
 */
import { existsSync, readFileSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanupTracked, survivors } from '../../helpers/processes.js';
import { busyPorts, cli, ensureCliBuilt, project, removeProjects, server } from './helpers.js';

const RANGE_FILE = '/proc/sys/net/ipv4/ip_local_port_range';
const [low, high] = existsSync(RANGE_FILE)
  ? readFileSync(RANGE_FILE, 'utf8').trim().split(/\s+/).map(Number)
  : [0, 0];
const inRange = (port: number) => port >= (low as number) && port <= (high as number);

beforeAll(ensureCliBuilt, 120_000);

afterEach(async () => {
  await cleanupTracked();
  removeProjects();
});

/**
 * Asks each service over HTTP (so the service really bound its port) and prints, per service,
 * its port and the local port the OS gave this outgoing connection.
 */
const probe = [
  process.execPath,
  '--input-type=module',
  '-e',
  [
    "import http from 'node:http';",
    "for (const name of ['A', 'B', 'C']) {",
    '  const port = Number(process.env[name + "_PORT"]);',
    "  const { status, local } = await new Promise((resolve, reject) => http.get({ host: '127.0.0.1', port, path: '/health', agent: false }, (res) => { res.resume(); resolve({ status: res.statusCode, local: res.socket.localPort }); }).on('error', reject));",
    "  console.log(['SEEN', name, port, local, status].join(' '));",
    '}',
  ].join('\n'),
];

// Skipped too where the range leaves no room outside it (then devlaunch falls back to it).
const roomOutside = (high as number) < 65535 || (low as number) > 10000;

describe.skipIf(!existsSync(RANGE_FILE) || !(high && low) || !roomOutside)(
  'dynamic ports and the ephemeral range',
  () => {
    it('run --dynamic: every service binds a port outside the range, while outgoing connections get ports inside it', async () => {
      const p = project({
        services: { a: server(0), b: server(0, { ports: { debug: 0 } }), c: server(0) },
      });
      const r = await cli(p, ['run', '--dynamic', '--', ...probe], { timeoutMs: 25_000 });
      expect(r.code, r.stderr).toBe(0);
      const seen = [...r.stdout.matchAll(/^SEEN (\w) (\d+) (\d+) (\d+)$/gm)];
      expect(
        seen.map((m) => m[1]),
        r.stdout,
      ).toEqual(['A', 'B', 'C']);
      const ports = seen.map((m) => Number(m[2]));
      const locals = seen.map((m) => Number(m[3]));
      expect(seen.map((m) => m[4])).toEqual(['200', '200', '200']);
      expect(new Set(ports).size).toBe(3);
      // The premise: the OS takes outgoing ports from this range (so the test reads the right one).
      for (const local of locals) expect(inRange(local), `local port ${local}`).toBe(true);
      for (const port of ports) expect(inRange(port), `service port ${port}`).toBe(false);
      expect(survivors(p.marker)).toEqual([]);
      expect(await busyPorts(ports)).toEqual([]);
    });
  },
);
