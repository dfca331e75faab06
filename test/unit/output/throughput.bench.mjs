// Measures (does not assert) ServiceOutput throughput with colour and log files on.
// Usage: node test/unit/output/throughput.bench.mjs [linesPerService]
// 1. in-process: two PassThrough sources fed 64 KiB chunks, out = /dev/null WriteStream;
// 2. real children: two `node` processes printing lines into pipes, same destination.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const perService = Number(process.argv[2] ?? 1_000_000);
const root = fileURLToPath(new URL('../../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'devlaunch-bench-'));
const bundle = join(work, 'output.mjs');
await build({
  entryPoints: [join(root, 'src/output/index.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  outfile: bundle,
  logLevel: 'error',
});
const { ServiceOutput } = await import(pathToFileURL(bundle).href);

function chunksOf(label, count) {
  const chunks = [];
  let current = '';
  for (let i = 0; i < count; i++) {
    current += `${label} line ${i} some typical log text GET /api/items 200 1.2ms\n`;
    if (current.length >= 65536) {
      chunks.push(Buffer.from(current));
      current = '';
    }
  }
  if (current) chunks.push(Buffer.from(current));
  return chunks;
}

async function inProcess() {
  const out = createWriteStream('/dev/null');
  const output = new ServiceOutput({
    out,
    color: true,
    names: ['api', 'web'],
    logDir: join(work, 'a'),
  });
  const sources = ['api', 'web'].map((name) => {
    const stream = new PassThrough();
    output.attach(name, stream, 'stdout');
    return { stream, chunks: chunksOf(name, perService) };
  });
  const start = performance.now();
  const cpu = process.cpuUsage();
  const longest = Math.max(...sources.map((s) => s.chunks.length));
  for (let i = 0; i < longest; i++) {
    for (const s of sources) if (s.chunks[i]) s.stream.write(s.chunks[i]);
    if (i % 64 === 0) await new Promise((r) => setImmediate(r));
  }
  for (const s of sources) s.stream.end();
  await output.close();
  await new Promise((r) => out.end(r));
  return report('in-process (PassThrough)', output, start, cpu);
}

async function children() {
  const out = createWriteStream('/dev/null');
  const output = new ServiceOutput({
    out,
    color: true,
    names: ['api', 'web'],
    logDir: join(work, 'b'),
  });
  const script = `const n=${perService};let s='';for(let i=0;i<n;i++){s+=process.argv[1]+' line '+i+' some typical log text GET /api/items 200 1.2ms\\n';if(s.length>=65536){process.stdout.write(s);s='';}}process.stdout.write(s);`;
  const start = performance.now();
  const cpu = process.cpuUsage();
  const procs = ['api', 'web'].map((name) => {
    const child = spawn(process.execPath, ['-e', script, name], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    output.attach(name, child.stdout, 'stdout');
    return new Promise((r) => child.on('close', r));
  });
  await Promise.all(procs);
  await output.close();
  await new Promise((r) => out.end(r));
  return report('real children (pipes)', output, start, cpu);
}

function report(label, output, start, cpu) {
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  const { maxBuffered } = output.stats();
  const lines = 2 * perService;
  const rate = Math.round(lines / (ms / 1000));
  console.log(
    `${label}: ${lines} lines in ${ms.toFixed(0)} ms = ${rate.toLocaleString('en')} lines/s; devlaunch process CPU ${cpuMs.toFixed(0)} ms (max buffered ${maxBuffered} B)`,
  );
}

try {
  await inProcess();
  await children();
} finally {
  rmSync(work, { recursive: true, force: true });
}
