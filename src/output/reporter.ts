/**
 * The one printer of devlaunch's own messages: turns SupervisorEvents into text. Failures go to
 * ServiceOutput.error() (stderr) with the service's last lines; everything else goes through
 * ServiceOutput.system(), set apart from the service lines. Both are shown at once even while
 * service output is held back for a slow reader. The only cursor movement is the progress line
 * while waiting for readiness, and only while it is the last line on the terminal
 * (ServiceOutput.progress): service lines printed after it are never overwritten.
 */
import type { Writable } from 'node:stream';
import { assertNever } from '../errors.js';
import { paint } from './colors.js';
import type { EventSink, ReadyRow, StopReason, SupervisorEvent } from './events.js';
import type { ServiceOutput } from './service-output.js';
import { renderServiceTable } from './service-table.js';
import { stripAnsi } from './table.js';

export interface ReporterOptions {
  output: ServiceOutput;
  /** The stream errors end up on (written through `output`): decides their colours. */
  err: NodeJS.WritableStream;
  color: boolean;
  /**
   * A terminal: waiting for readiness shows one progress line updated in place every second.
   * Otherwise a service still waiting after PIPE_PROGRESS_EVERY_MS gets a line that often.
   */
  interactive: boolean;
  /** Also print the commands services run. */
  verbose: boolean;
  /**
   * The services' lines are printed on this screen too (up in the foreground): a failure does
   * not print them a second time. Default false: they are repeated (run, a remote command).
   */
  linesShown?: boolean;
  /** Clock for throttling progress lines. Default Date.now. */
  now?: () => number;
}

/** On a terminal, the progress line is updated at most this often. */
const PROGRESS_EVERY_MS = 1000;
/**
 * A new progress line (not in place: into a pipe, or on a terminal after other lines) at most
 * this often, so a slow service costs a handful of lines, not one a second.
 */
const PIPE_PROGRESS_EVERY_MS = 5000;

/**
 * Services named on the progress line; more are counted. A project starting dozens of services
 * at once gets a line, not a screenful redrawn every second.
 */
const PROGRESS_MAX_SERVICES = 5;

export function createReporter(opts: ReporterOptions): EventSink {
  const { output, err, verbose } = opts;
  const p = paint(err as Writable, opts.color, { FORCE_COLOR: '1' });
  const now = opts.now ?? Date.now;
  const waiting = new Map<string, { check: string; elapsedMs: number; last: string | null }>();
  let lastProgress = Number.NEGATIVE_INFINITY;
  let lastNewLine = Number.NEGATIVE_INFINITY;
  /** Set once the user forced the stop (a second Ctrl+C): why services die by SIGKILL now. */
  let forcedBy: string | null = null;

  const info = (text: string) => output.system(text);
  const toErr = (text: string) => output.error(text);
  const plain = (line: string) => (opts.color ? line : stripAnsi(line));

  const progressText = () => {
    const all = [...waiting];
    const parts = all
      .slice(0, PROGRESS_MAX_SERVICES)
      .map(
        ([service, w]) =>
          `${p.bold(service)} (${w.check}, ${seconds(w.elapsedMs)}${w.last ? `: ${w.last}` : ''})`,
      );
    if (all.length > PROGRESS_MAX_SERVICES) {
      parts.push(`${all.length - PROGRESS_MAX_SERVICES} more (devlaunch status lists them)`);
    }
    return (
      p.dim(all.length > PROGRESS_MAX_SERVICES ? `waiting for ${all.length}: ` : 'waiting for ') +
      parts.join(', ')
    );
  };
  const progress = (elapsedMs: number) => {
    const at = now();
    if (opts.interactive) {
      if (at - lastProgress < PROGRESS_EVERY_MS) return;
      const inPlace = output.progressIsLast;
      if (!inPlace && at - lastNewLine < PIPE_PROGRESS_EVERY_MS) return;
      if (!inPlace) lastNewLine = at;
      lastProgress = at;
      return output.progress(progressText());
    }
    if (elapsedMs < PIPE_PROGRESS_EVERY_MS || at - lastNewLine < PIPE_PROGRESS_EVERY_MS) return;
    lastNewLine = at;
    info(progressText());
  };
  /** The wait is over for `service`: the progress line goes once nothing is waiting. */
  const doneWaiting = (service: string) => {
    waiting.delete(service);
    if (waiting.size === 0) output.clearProgress();
  };

  return (event: SupervisorEvent) => {
    switch (event.type) {
      case 'port-reclaimed':
        return info(
          `${p.bold(event.service)}: port ${event.port} was held by a stale devlaunch process ` +
            `(pid ${event.pid}, ${event.command}); stopped it`,
        );
      case 'port-remapped':
        return info(
          p.yellow(
            `${event.service}: port ${portLabel(event.portName)}${event.from} -> ${event.to}`,
          ) + ` (${event.reason})`,
        );
      case 'port-freed':
        return info(
          `${p.bold(event.service)}: stopped pid ${event.pid} (${event.command}) ` +
            `that held port ${event.port}`,
        );
      case 'service-starting':
        return info(
          `starting ${p.bold(event.service)} (pid ${event.pid})` +
            (verbose ? p.dim(`: ${event.command}`) : ''),
        );
      case 'service-waiting': {
        waiting.set(event.service, {
          check: event.check,
          elapsedMs: event.elapsedMs,
          last: event.last ?? null,
        });
        return progress(event.elapsedMs);
      }
      case 'service-ready':
        doneWaiting(event.service);
        return info(`${p.green('ready')} ${p.bold(event.service)} in ${seconds(event.elapsedMs)}`);
      case 'service-completed':
        doneWaiting(event.service);
        return info(`${p.green('completed')} ${p.bold(event.service)} (exited with code 0)`);
      case 'service-restarting':
        waiting.delete(event.service);
        return info(
          p.yellow(`${event.service} ${exitText(event.exitCode, event.signal)}; `) +
            `restarting in ${seconds(event.delayMs)} (attempt ${event.attempt})`,
        );
      case 'service-failed': {
        waiting.delete(event.service);
        toErr(`${p.red(p.bold('error'))} ${p.bold(event.service)} failed: ${event.reason}`);
        if (event.lastLines.length > 0 && opts.linesShown) {
          toErr(p.dim(`  its output is above; all of it: devlaunch logs ${event.service}`));
        } else if (event.lastLines.length > 0) {
          toErr(p.dim(`  last output of ${event.service}:`));
          for (const line of event.lastLines) toErr(`    ${plain(line)}`);
        }
        return;
      }
      case 'all-ready':
        waiting.clear();
        info(`${p.green('all services ready')} in ${seconds(event.elapsedMs)}`);
        output.print(readyTable(event.rows, p.bold));
        if (event.dashboard !== undefined)
          output.print(`${p.bold('dashboard')} ${event.dashboard}`);
        return;
      case 'stopping':
        waiting.clear();
        output.clearProgress();
        if (!event.graceful) forcedBy = forcedText(event.reason);
        return info(p.yellow(stoppingText(event.reason, event.graceful)));
      case 'service-stopped':
        // After a forced stop every service still running is killed at once, whichever way
        // its own stop ends: say why, not "after its stop_timeout".
        if (forcedBy !== null) {
          return info(
            p.yellow(`${event.service} force-stopped (${forcedBy}, ${seconds(event.elapsedMs)})`),
          );
        }
        return info(
          event.forced
            ? p.yellow(
                `${event.service} killed (SIGKILL after its stop_timeout, ${seconds(event.elapsedMs)})`,
              )
            : `stopped ${event.service} (${seconds(event.elapsedMs)})`,
        );
      case 'stopped':
        return info(`everything stopped in ${seconds(event.elapsedMs)}`);
      case 'message': {
        const hint = event.hint === undefined ? '' : `\n  ${p.dim(`hint: ${event.hint}`)}`;
        if (event.level === 'error') return toErr(`${p.red(p.bold('error'))} ${event.text}${hint}`);
        if (event.level === 'warn') return info(`${p.yellow('warning')} ${event.text}${hint}`);
        return info(`${event.text}${hint}`);
      }
      default:
        return assertNever(event);
    }
  };
}

function readyTable(rows: ReadyRow[], bold: (s: string) => string): string {
  return renderServiceTable(
    rows.map((row) => ({ ...row, name: row.service })),
    ['SERVICE', 'URL', 'PID', 'PORTS', 'STATE'],
    bold,
  );
}

function portLabel(name: string): string {
  return name === 'primary' ? '' : `${name} `;
}

function exitText(code: number | null, signal: string | null): string {
  if (signal !== null) return `was killed by ${signal}`;
  return code === null ? 'exited' : `exited with code ${code}`;
}

/** Why the stop was forced: `second Ctrl+C`, `second SIGTERM`, or `forced`. */
function forcedText(reason: StopReason): string {
  if (reason.kind !== 'signal') return 'forced';
  return reason.signal === 'SIGINT' ? 'second Ctrl+C' : `second ${reason.signal}`;
}

function stoppingText(reason: StopReason, graceful: boolean): string {
  if (!graceful) return 'stopping now: killing every service (SIGKILL)';
  switch (reason.kind) {
    case 'signal':
      return `${reason.signal} received: stopping every service (press Ctrl+C again to force)`;
    case 'failure':
      return `${reason.service} failed: stopping every service`;
    case 'down':
      return 'devlaunch down: stopping every service';
    case 'finished':
      return 'every service has ended: stopping';
    case 'command-exited':
      return `the command exited${reason.code === null ? '' : ` with code ${reason.code}`}: stopping every service`;
    default:
      return assertNever(reason);
  }
}

/** 850ms, 1.2s, 75s. */
export function seconds(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)}s` : `${Math.round(ms / 1000)}s`;
}
