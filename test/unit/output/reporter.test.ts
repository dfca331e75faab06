import { describe, expect, it } from 'vitest';
import type { SupervisorEvent } from '../../../src/output/events.js';
import { createReporter } from '../../../src/output/reporter.js';
import { ServiceOutput } from '../../../src/output/service-output.js';
import { Collector } from './helpers.js';

const ESC = '\u001b';

function setup(
  options: { color?: boolean; interactive?: boolean; verbose?: boolean; tty?: boolean } = {},
) {
  const out = new Collector();
  out.isTTY = options.tty ?? false;
  const err = new Collector();
  const color = options.color ?? false;
  const output = new ServiceOutput({ out, err, color, names: ['api', 'frontend'], logDir: null });
  let clock = 0;
  const report = createReporter({
    output,
    err,
    color,
    interactive: options.interactive ?? true,
    verbose: options.verbose ?? false,
    now: () => clock,
  });
  return {
    out,
    err,
    report,
    output,
    tick: (ms: number) => {
      clock += ms;
    },
  };
}

/** What a terminal shows for `text`: lines, with `ESC[nA CR ESC[J` taking back the last n. */
function screen(text: string): string[] {
  const lines = [''];
  for (const part of text.split(/(\u001b\[\d+A\r\u001b\[J)/)) {
    const up = /^\u001b\[(\d+)A\r\u001b\[J$/.exec(part);
    if (up) {
      const n = Number(up[1]);
      lines.splice(lines.length - 1 - n, n + 1, '');
      continue;
    }
    const pieces = part.split('\n');
    lines[lines.length - 1] += pieces[0] ?? '';
    lines.push(...pieces.slice(1));
  }
  return lines.at(-1) === '' ? lines.slice(0, -1) : lines;
}

/** One of every event, as the supervisor would send them. */
const EVERY_EVENT: SupervisorEvent[] = [
  { type: 'port-reclaimed', service: 'api', port: 8000, pid: 11, command: 'node old.js' },
  {
    type: 'port-remapped',
    service: 'api',
    portName: 'debug',
    from: 9229,
    to: 9230,
    reason: 'held by pid 7',
  },
  { type: 'port-freed', service: 'frontend', port: 3000, pid: 12, command: 'vite' },
  { type: 'service-starting', service: 'api', command: 'node api.js', pid: 100 },
  { type: 'service-waiting', service: 'api', check: 'http /health', elapsedMs: 1000 },
  { type: 'service-ready', service: 'api', elapsedMs: 1500 },
  { type: 'service-completed', service: 'frontend' },
  {
    type: 'service-restarting',
    service: 'api',
    attempt: 2,
    delayMs: 1000,
    exitCode: 1,
    signal: null,
  },
  {
    type: 'service-failed',
    service: 'api',
    reason: 'exited with code 1',
    lastLines: [`${ESC}[31mError: boom${ESC}[39m`, 'at main'],
  },
  {
    type: 'all-ready',
    elapsedMs: 2300,
    rows: [
      {
        service: 'api',
        url: 'http://localhost:8000',
        pid: 100,
        ports: { primary: 8000, debug: 9230 },
        state: 'ready',
      },
    ],
  },
  { type: 'stopping', reason: { kind: 'signal', signal: 'SIGINT' }, graceful: true },
  { type: 'service-stopped', service: 'api', forced: true, elapsedMs: 5000 },
  { type: 'stopped', elapsedMs: 5100 },
  { type: 'message', level: 'warn', text: 'watch out', hint: 'do this' },
  { type: 'message', level: 'error', text: 'bad thing' },
];

describe('createReporter', () => {
  it('renders every event type as something readable', () => {
    const { out, err, report } = setup();
    for (const event of EVERY_EVENT) report(event);
    const printed = out.text();
    expect(printed).toContain(
      'api: port 8000 was held by a stale devlaunch process (pid 11, node old.js)',
    );
    expect(printed).toContain('api: port debug 9229 -> 9230 (held by pid 7)');
    expect(printed).toContain('frontend: stopped pid 12 (vite) that held port 3000');
    expect(printed).toContain('starting api (pid 100)');
    expect(printed).toContain('waiting for api (http /health, 1.0s)');
    expect(printed).toContain('ready api in 1.5s');
    expect(printed).toContain('completed frontend');
    expect(printed).toContain('api exited with code 1; restarting in 1.0s (attempt 2)');
    expect(printed).toContain('all services ready in 2.3s');
    expect(printed).toContain('SIGINT received: stopping every service');
    expect(printed).toContain('api killed (SIGKILL after its stop_timeout, 5.0s)');
    expect(printed).toContain('everything stopped in 5.1s');
    expect(printed).toContain('warning watch out');
    expect(printed).toContain('hint: do this');
    const errors = err.text();
    expect(errors).toContain('error api failed: exited with code 1');
    expect(errors).toContain('    Error: boom\n    at main\n');
    expect(errors).toContain('error bad thing');
    expect(printed).not.toContain('bad thing');
  });

  it('prints the ready table aligned, after the summary line', () => {
    const { out, report } = setup();
    report({
      type: 'all-ready',
      elapsedMs: 800,
      rows: [
        {
          service: 'api',
          url: 'http://localhost:8000',
          pid: 100,
          ports: { debug: 9229, primary: 8000 },
          state: 'ready',
        },
        { service: 'migrate', url: null, pid: null, ports: {}, state: 'completed' },
      ],
    });
    expect(out.lines()).toEqual([
      'devlaunch » all services ready in 800ms',
      'SERVICE  URL                    PID  PORTS             STATE',
      'api      http://localhost:8000  100  8000, debug=9229  ready',
      'migrate  -                      -    -                 completed',
    ]);
  });

  it('writes no escape code with colour off, and colours with it on', () => {
    const plain = setup({ color: false, verbose: true });
    for (const event of EVERY_EVENT) plain.report(event);
    expect(plain.out.text()).not.toContain(ESC);
    expect(plain.err.text()).not.toContain(ESC);

    const coloured = setup({ color: true });
    for (const event of EVERY_EVENT) coloured.report(event);
    expect(coloured.out.text()).toContain(ESC);
    expect(coloured.err.text()).toContain(`${ESC}[31m`);
  });

  it('on a terminal, waiting is one line updated in place, covering every waiting service', () => {
    const { out, report, tick } = setup({ interactive: true, tty: true });
    report({ type: 'service-waiting', service: 'api', check: 'tcp', elapsedMs: 1000 });
    report({ type: 'service-waiting', service: 'frontend', check: 'http /', elapsedMs: 1000 });
    expect(screen(out.text())).toEqual(['devlaunch » waiting for api (tcp, 1.0s)']);
    for (let s = 2; s <= 10; s++) {
      tick(1000);
      report({ type: 'service-waiting', service: 'api', check: 'tcp', elapsedMs: s * 1000 });
    }
    expect(screen(out.text())).toEqual([
      'devlaunch » waiting for api (tcp, 10s), frontend (http /, 1.0s)',
    ]);
    // Ten updates, one line on the screen.
    expect(out.text().split('waiting for').length - 1).toBe(10);
  });

  it('names the first five waiting services and counts the others', () => {
    const { out, report, tick } = setup({ interactive: true, tty: true });
    for (let i = 0; i < 40; i++) {
      report({ type: 'service-waiting', service: `s${i}`, check: 'tcp', elapsedMs: 1000 });
    }
    tick(1000);
    report({ type: 'service-waiting', service: 's0', check: 'tcp', elapsedMs: 2000 });
    expect(screen(out.text())).toEqual([
      'devlaunch » waiting for 40: s0 (tcp, 2.0s), s1 (tcp, 1.0s), s2 (tcp, 1.0s), s3 (tcp, 1.0s), s4 (tcp, 1.0s), 35 more (devlaunch status lists them)',
    ]);
  });

  it('on a terminal, the progress line gives way to the ready line once nothing waits', () => {
    const { out, report, tick } = setup({ interactive: true, tty: true });
    report({ type: 'service-waiting', service: 'api', check: 'tcp', elapsedMs: 1000 });
    tick(1000);
    report({ type: 'service-ready', service: 'api', elapsedMs: 1500 });
    expect(screen(out.text())).toEqual(['devlaunch » ready api in 1.5s']);
  });

  it('on a terminal, lines printed after the progress line are never overwritten', () => {
    const { out, report, tick, output } = setup({ interactive: true, tty: true });
    report({ type: 'service-waiting', service: 'api', check: 'tcp', elapsedMs: 1000 });
    output.system('api says hello');
    for (let s = 2; s <= 7; s++) {
      tick(1000);
      report({ type: 'service-waiting', service: 'api', check: 'tcp', elapsedMs: s * 1000 });
    }
    // A new progress line only every few seconds after other output, then in place again.
    expect(screen(out.text())).toEqual([
      'devlaunch » waiting for api (tcp, 1.0s)',
      'devlaunch » api says hello',
      'devlaunch » waiting for api (tcp, 7.0s)',
    ]);
    expect(out.text().split('waiting for').length - 1).toBe(3);
  });

  it('after a second Ctrl+C, stopped services are force-stopped, not killed after a timeout', () => {
    const { out, report } = setup();
    const reason = { kind: 'signal', signal: 'SIGINT' } as const;
    report({ type: 'service-stopped', service: 'frontend', forced: true, elapsedMs: 5000 });
    report({ type: 'stopping', reason, graceful: true });
    report({ type: 'stopping', reason, graceful: false });
    report({ type: 'service-stopped', service: 'api', forced: false, elapsedMs: 1500 });
    report({ type: 'service-stopped', service: 'frontend', forced: true, elapsedMs: 20 });
    expect(out.lines()).toEqual([
      'devlaunch » frontend killed (SIGKILL after its stop_timeout, 5.0s)',
      'devlaunch » SIGINT received: stopping every service (press Ctrl+C again to force)',
      'devlaunch » stopping now: killing every service (SIGKILL)',
      'devlaunch » api force-stopped (second Ctrl+C, 1.5s)',
      'devlaunch » frontend force-stopped (second Ctrl+C, 20ms)',
    ]);
  });

  it('into a pipe, a service still waiting after 5 s gets a line every 5 s', () => {
    const { out, report, tick } = setup({ interactive: false });
    for (let s = 1; s <= 12; s++) {
      report({ type: 'service-waiting', service: 'api', check: 'tcp', elapsedMs: s * 1000 });
      tick(1000);
    }
    expect(out.lines()).toEqual([
      'devlaunch » waiting for api (tcp, 5.0s)',
      'devlaunch » waiting for api (tcp, 10s)',
    ]);
    expect(out.text()).not.toContain(ESC);
  });

  it('shows the command of a starting service with verbose', () => {
    const { out, report } = setup({ verbose: true });
    report({ type: 'service-starting', service: 'api', command: 'node api.js', pid: 5 });
    expect(out.text()).toContain('starting api (pid 5): node api.js');
  });

  it('explains each reason to stop', () => {
    const { out, report } = setup();
    report({ type: 'stopping', reason: { kind: 'failure', service: 'api' }, graceful: true });
    report({ type: 'stopping', reason: { kind: 'down' }, graceful: true });
    report({ type: 'stopping', reason: { kind: 'finished' }, graceful: true });
    report({ type: 'stopping', reason: { kind: 'signal', signal: 'SIGTERM' }, graceful: false });
    expect(out.lines()).toEqual([
      'devlaunch » api failed: stopping every service',
      'devlaunch » devlaunch down: stopping every service',
      'devlaunch » every service has ended: stopping',
      'devlaunch » stopping now: killing every service (SIGKILL)',
    ]);
  });

  it('names how a restarting service ended', () => {
    const { out, report } = setup();
    report({
      type: 'service-restarting',
      service: 'api',
      attempt: 1,
      delayMs: 500,
      exitCode: null,
      signal: 'SIGKILL',
    });
    expect(out.text()).toContain('api was killed by SIGKILL; restarting in 500ms (attempt 1)');
  });
});
