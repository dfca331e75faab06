import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, createWriteStream, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { ServiceOutput } from '../../../src/output/service-output.js';
import { Collector, cleanedTempDirs } from '../../unit/output/helpers.js';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});
const tempDir = cleanedTempDirs();

/** Runs `script` in a child whose stdout and stderr go to `output` as `name`: its exit code. */
async function throughOutput(output: ServiceOutput, name: string, script: string, args: string[]) {
  const child = spawn(process.execPath, ['-e', script, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  output.attach(name, child.stdout, 'stdout');
  output.attach(name, child.stderr, 'stderr');
  const exited = new Promise((resolve) => child.on('close', resolve));
  await output.close();
  return exited;
}

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

// Prints a short line, a 3 MiB line in 64 KiB writes (each its own letter, so order shows),
// then a 300 kB line and a last line without a newline, in one write.
const LONG_PRINTER = `
const parts = [];
for (let i = 0; i < 48; i++) parts.push(String.fromCharCode(97 + (i % 26)).repeat(65536));
process.stdout.write('before\\n');
let i = 0;
function next() {
  while (i < parts.length) if (!process.stdout.write(parts[i++])) return process.stdout.once('drain', next);
  process.stdout.write('\\nafter\\n' + 'Z'.repeat(300000) + '\\nend');
}
next();
`;

describe('ServiceOutput with a real child process', () => {
  it('passes long lines read from a pipe into memory of their own through whole, in order', async () => {
    const dir = tempDir();
    const out = new Collector();
    const output = new ServiceOutput({ out, color: false, names: ['big'], logDir: dir });
    expect(await throughOutput(output, 'big', LONG_PRINTER, [])).toBe(0);
    let long = '';
    for (let i = 0; i < 48; i++) long += String.fromCharCode(97 + (i % 26)).repeat(65536);
    const lines = ['before', long, 'after', 'Z'.repeat(300000), 'end'];
    expect(out.text() === lines.map((line) => `big | ${line}\n`).join('')).toBe(true);
    const logged = readFileSync(join(dir, 'big.log'), 'utf8');
    expect(logged === lines.map((line) => `${line}\n`).join('')).toBe(true);
  });

  it('drains 200,000 lines of a child to /dev/null and logs them all', async () => {
    const dir = tempDir();
    const out = createWriteStream('/dev/null');
    const output = new ServiceOutput({ out, color: true, names: ['chatty'], logDir: dir });
    let lines = 0;
    output.onLine('chatty', (_text, partial) => {
      if (!partial) lines += 1;
    });
    const count = 200_000;
    expect(await throughOutput(output, 'chatty', PRINTER, [String(count)])).toBe(0);
    await new Promise((resolve) => out.end(resolve));
    expect(lines).toBe(count);
    expect(output.lastLines('chatty').at(-1)).toBe(`line ${count - 1} of a chatty service`);
    const logged = readFileSync(join(dir, 'chatty.log'), 'utf8');
    expect(logged.split('\n').length - 1).toBe(count);
  });

  it('keeps every byte intact through a socket that takes some writes at once and some later', async () => {
    // A socket to a child (as devlaunch's stdout is under a CI runner): output written at once
    // has its memory used again for the next block; output the socket keeps must stay intact.
    const dir = tempDir();
    const file = join(dir, 'captured');
    const fd = openSync(file, 'w');
    const reader = spawn('cat', [], { stdio: ['pipe', fd, 'ignore'] });
    children.push(reader);
    closeSync(fd);
    const stdin = reader.stdin;
    if (stdin === null) throw new Error('cat has no stdin');
    const output = new ServiceOutput({
      out: stdin,
      color: false,
      names: ['a', 'b'],
      logDir: null,
    });
    const count = 60_000;
    const expected: Record<string, string[]> = { a: [], b: [] };
    const sources = ['a', 'b'].map((name) => {
      const stream = new PassThrough();
      output.attach(name, stream, 'stdout');
      return { name, stream };
    });
    for (let i = 0; i < count; i += 500) {
      for (const { name, stream } of sources) {
        let text = '';
        for (let j = i; j < i + 500; j++) text += `${name} ${j} ${'x'.repeat(j % 97)}\n`;
        expected[name]?.push(text);
        stream.write(Buffer.from(text));
      }
      // Now and then let the socket drain, so both paths are taken.
      if (i % 5000 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    for (const { stream } of sources) stream.end();
    await output.close();
    const exited = new Promise((resolve) => reader.on('close', resolve));
    stdin.end();
    await exited;
    const seen: Record<string, string[]> = { a: [], b: [] };
    for (const line of readFileSync(file, 'latin1').split('\n').slice(0, -1)) {
      const name = line.slice(0, 1);
      seen[name]?.push(`${line.slice(4)}\n`);
    }
    for (const name of ['a', 'b']) expect(seen[name]?.join('')).toBe(expected[name]?.join(''));
  });
});
