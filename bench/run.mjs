/**
 * `npm run bench [-- --quick] [-- --only NAME,...]`: devlaunch and the tools it replaces, side by
 * side, on the same fixtures, in one run, runs interleaved so machine noise hits all alike.
 * Prints one table and writes bench/results.json. Needs the built CLI (npm install builds it).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { formatRatio, formatValue } from './lib/stats.mjs';
import { cleanup, devlaunchBin, root } from './lib/tools.mjs';
import { coldStart } from './scenarios/cold-start.mjs';
import { dashboardFlood } from './scenarios/dashboard-flood.mjs';
import { footprint } from './scenarios/footprint.mjs';
import { longLine } from './scenarios/long-line.mjs';
import { timeToReady } from './scenarios/ready.mjs';
import { scale } from './scenarios/scale.mjs';
import { stalled } from './scenarios/stalled.mjs';
import { teardown } from './scenarios/teardown.mjs';
import { throughput, throughputColour } from './scenarios/throughput.mjs';

const scenarios = {
  coldStart,
  timeToReady,
  teardown,
  throughput,
  throughputColour,
  dashboardFlood,
  stalled,
  longLine,
  footprint,
  scale,
};

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const onlyAt = argv.indexOf('--only');
const only = onlyAt === -1 ? null : (argv[onlyAt + 1] ?? '').split(',');

function machine() {
  const cpuinfo = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '';
  return {
    cpus: cpus().length,
    cpuModel: /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? cpus()[0]?.model ?? 'unknown',
    memoryGB: Math.round(totalmem() / 2 ** 30),
    freeMemoryGB: Math.round(freemem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadavg: loadavg().map((l) => Number(l.toFixed(2))),
  };
}

function table(rows) {
  const header = ['metric', 'devlaunch', 'baseline', 'peer', 'ratio', 'goal', ''];
  const lines = rows.map((r) => [
    r.metric,
    formatValue(r.devlaunch, r.unit),
    formatValue(r.baseline, r.unit),
    formatValue(r.peer, r.unit),
    r.ratio === null || r.ratio === undefined ? '—' : `${formatRatio(r.ratio)} ${r.ratioOf}`,
    r.goal ?? '',
    r.met === null || r.met === undefined ? '' : r.met ? 'met' : 'MISSED',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells) =>
    cells
      .map((c, i) => (i === 0 || i >= 5 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join('  ')
      .trimEnd();
  return [fmt(header), fmt(widths.map((w) => '-'.repeat(w))), ...lines.map(fmt)].join('\n');
}

async function main() {
  if (!existsSync(join(root, 'dist', 'cli', 'main.cjs'))) {
    process.stderr.write(`${devlaunchBin} needs dist/: run npm install (or npm run build) first\n`);
    return 2;
  }
  const started = machine();
  process.stderr.write(
    `devlaunch bench${quick ? ' (quick)' : ''}: ${started.cpus} × ${started.cpuModel}, Node ${started.node}, load ${started.loadavg.join(' ')}\n`,
  );
  const rows = [];
  const errors = [];
  for (const [name, scenario] of Object.entries(scenarios)) {
    if (only !== null && !only.includes(name)) continue;
    const begun = performance.now();
    process.stderr.write(`  ${name} …`);
    try {
      rows.push(...(await scenario({ quick })));
      process.stderr.write(` ${((performance.now() - begun) / 1000).toFixed(1)} s\n`);
    } catch (error) {
      errors.push({ scenario: name, error: String(error?.stack ?? error) });
      process.stderr.write(` failed: ${error?.message ?? error}\n`);
    } finally {
      cleanup();
    }
  }
  process.stdout.write(`\n${table(rows)}\n`);
  process.stdout.write(
    '\nbaseline: the fixtures alone (node -e 0 for cold start and for the overhead beyond Node; an idle Node for memory); peer: concurrently (+ wait-on); ratio: devlaunch ÷ the column named.\n',
  );
  const results = {
    date: new Date().toISOString(),
    quick,
    machine: { ...started, loadavgAfter: loadavg().map((l) => Number(l.toFixed(2))) },
    rows,
    errors,
  };
  writeFileSync(join(root, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write('written: bench/results.json\n');
  return errors.length > 0 ? 1 : 0;
}

process.exitCode = await main();
