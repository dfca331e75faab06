import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ServiceOutput } from '../../../src/output/service-output.js';
import { tempDir } from '../../unit/output/helpers.js';

const children: ChildProcess[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

// Prints `count` numbered lines in big writes, the last one without a newline.
const PRINTER = `
const count = Number(process.argv[1]);
let s = '';
for (let i = 0; i < count; i++) {
  s += 'line ' + i + ' of a chatty service' + (i === count - 1 ? '' : '\\n');
  if (s.length >= 65536) { process.stdout.write(s); s = ''; }
}
process.stdout.write(s);
`;

describe('ServiceOutput with a real child process', () => {
  it('drains 200,000 lines of a child to /dev/null and logs them all', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const out = createWriteStream('/dev/null');
    const output = new ServiceOutput({ out, color: true, names: ['chatty'], logDir: dir });
    let lines = 0;
    output.onLine('chatty', (_text, partial) => {
      if (!partial) lines += 1;
    });
    const count = 200_000;
    const child = spawn(process.execPath, ['-e', PRINTER, String(count)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    output.attach('chatty', child.stdout, 'stdout');
    output.attach('chatty', child.stderr, 'stderr');
    const exited = new Promise((resolve) => child.on('close', resolve));
    await output.close();
    expect(await exited).toBe(0);
    await new Promise((resolve) => out.end(resolve));
    expect(lines).toBe(count);
    expect(output.lastLines('chatty').at(-1)).toBe(`line ${count - 1} of a chatty service`);
    const logged = readFileSync(join(dir, 'chatty.log'), 'utf8');
    expect(logged.split('\n').length - 1).toBe(count);
  });
});
