/** --dynamic: every port from the OS, squatters untouched, parallel runs never collide. */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolvePorts } from '../../../src/ports/resolve-ports.js';
import { bundleTestProgram } from '../../helpers/build.js';
import { cleanupTracked, isAlive, LineReader, track } from '../../helpers/processes.js';
import { manifest, removeTempDirs, startSquatter } from './helpers.js';

afterEach(async () => {
  await cleanupTracked();
  removeTempDirs();
});

const allPorts = (r: Record<string, { primary: number | null; named: Record<string, number> }>) =>
  Object.values(r).flatMap((s) => [
    ...(s.primary === null ? [] : [s.primary]),
    ...Object.values(s.named),
  ]);

describe('--dynamic', () => {
  it('ignores squatters on every preferred port, whatever on_conflict says, and kills nothing', async () => {
    const [a, b] = await Promise.all([startSquatter(), startSquatter()]);
    const m = manifest({
      web: { port: a!.port, on_conflict: 'kill' },
      api: { port: 'auto', ports: { debug: b!.port } },
    });
    const ports = await resolvePorts(m, ['web', 'api'], {
      dynamic: true,
      overrides: {},
      conflict: 'kill',
    });
    const got = allPorts(ports);
    expect(got).toHaveLength(3);
    expect(new Set(got).size).toBe(3);
    expect(got).not.toContain(a!.port);
    expect(got).not.toContain(b!.port);
    for (const s of [a!, b!]) {
      expect(isAlive(s.pid)).toBe(true);
      expect(isAlive(s.childPid)).toBe(true);
    }
  });

  it('two resolutions in one process at the same time do not collide', async () => {
    const m = manifest({ a: { port: 8000 }, b: { port: 8001 }, c: { port: 'auto' } });
    const runs = await Promise.all(
      [1, 2, 3].map(() => resolvePorts(m, ['a', 'b', 'c'], { dynamic: true, overrides: {} })),
    );
    const got = runs.flatMap(allPorts);
    expect(new Set(got).size).toBe(got.length);
  });

  it('two devlaunch processes resolving at the same time do not collide', async () => {
    const m = manifest({
      a: { port: 'auto' },
      b: { port: 'auto' },
      c: { port: 'auto' },
      d: { port: 'auto' },
    });
    const entry = join(m.root, 'resolve-dynamic.ts');
    const src = new URL('../../../src/ports/resolve-ports.ts', import.meta.url).pathname;
    writeFileSync(
      entry,
      `import { resolvePorts } from ${JSON.stringify(src)};\n` +
        `const m = JSON.parse(process.argv[2]);\n` +
        `const r = await resolvePorts(m, Object.keys(m.services), { dynamic: true, overrides: {} });\n` +
        `console.log('PORTS ' + JSON.stringify(r));\n` +
        // Stay alive like a session would while its services bind, until the test ends (a
        // timed end could release its reservations before a slower sibling has picked).
        `setInterval(() => {}, 1 << 30);\n`,
    );
    const program = await bundleTestProgram(entry);
    const children = [1, 2, 3].map(() => {
      const child = spawn(process.execPath, [program, JSON.stringify(m)], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      track(child.pid);
      return new LineReader(child.stdout!);
    });
    const results = await Promise.all(children.map((r) => r.waitFor(/^PORTS (.*)$/, 15_000)));
    const got = results.flatMap((match) => allPorts(JSON.parse(match[1]!)));
    expect(got).toHaveLength(12);
    expect(new Set(got).size).toBe(12);
  });
});
