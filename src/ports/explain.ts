/**
 * What devlaunch says about a port it cannot use: who holds it and what would resolve it.
 * Every message names the port and the service; every conflict names the holder's pid, user
 * and command, and the commands that would resolve it. Platform-specific advice is chosen by
 * an explicit `platform` so it can be tested anywhere.
 */
import { DevlaunchError } from '../errors.js';
import type { FailReason } from '../plan/port-policy.js';
import type { ProcessInfo } from '../process/types.js';
import type { Refusal } from './kill-safety.js';

/** `backend` for a primary port, `backend.debug` for a named one. */
export function portLabel(service: string, name: string): string {
  return name === 'primary' ? service : `${service}.${name}`;
}

const MAX_COMMAND = 120;

export function shortCommand(command: string): string {
  return command.length > MAX_COMMAND ? `${command.slice(0, MAX_COMMAND - 1)}…` : command;
}

/** `pid 4242 (user alice): node server.js` */
export function describeHolder(h: Pick<ProcessInfo, 'pid' | 'user' | 'command'>): string {
  return `pid ${h.pid} (user ${h.user || '?'}): ${shortCommand(h.command)}`;
}

export interface ConflictContext {
  port: number;
  /** `service` or `service.name`. */
  label: string;
  holders: Pick<ProcessInfo, 'pid' | 'user' | 'command'>[];
  /** For `ours`: the live session holding the port. */
  session?: string | null;
  /** For `refused`: why each holder may not be stopped. */
  refusals?: Refusal[];
  /** For `forbidden`: the bind error code (EACCES, EPERM). */
  code?: string;
  platform?: NodeJS.Platform;
}

/** The error for a port decision that ends the run (exit 3). */
export function conflictError(reason: FailReason, ctx: ConflictContext): DevlaunchError {
  const { port, label } = ctx;
  const who = ctx.holders.map(describeHolder).join('; ');
  const resolve =
    `Stop it with devlaunch free ${port} (or run with --kill), take another port with --remap ` +
    `(or --port ${label}=PORT), or run with --dynamic.`;
  switch (reason) {
    case 'foreign':
      return new DevlaunchError('PORT_CONFLICT', `port ${port} of ${label} is held by ${who}`, {
        hint: resolve,
      });
    case 'aborted':
      return new DevlaunchError(
        'PORT_CONFLICT',
        `aborted: port ${port} of ${label} is held by ${who}`,
        {
          hint: resolve,
        },
      );
    case 'ours':
      return new DevlaunchError(
        'PORT_CONFLICT',
        `port ${port} of ${label} is held by session ${ctx.session ?? '?'} of this project, which is running` +
          (who ? ` (${who})` : ''),
        {
          hint: `Stop that session with devlaunch down, or run with --remap or --dynamic. devlaunch never stops a running session's processes on its own.`,
        },
      );
    case 'refused': {
      const refusals = ctx.refusals ?? [];
      const forceable = refusals.length > 0 && refusals.every((r) => r.forceable);
      return new DevlaunchError(
        'KILL_REFUSED',
        `will not stop what holds port ${port} of ${label}: ${refusals.map((r) => r.reason).join('; ')}`,
        {
          hint: forceable
            ? `Add --force to stop it anyway, or take another port with --remap or --port ${label}=PORT.`
            : `devlaunch never stops it, even with --force; take another port with --remap or --port ${label}=PORT.`,
        },
      );
    }
    case 'unknown':
      return new DevlaunchError(
        'PORT_CONFLICT',
        `port ${port} of ${label} is in use, but the OS does not say by which process (another user's, without the privilege to see it?)`,
        {
          hint: `See it ${asAdmin(ctx.platform)} with devlaunch ports ${port}; or take another port with --remap or --port ${label}=PORT.`,
        },
      );
    case 'forbidden':
      return new DevlaunchError(
        'PORT_FORBIDDEN',
        `port ${port} of ${label} cannot be bound (${ctx.code ?? 'EACCES'}): ${forbiddenCause(port, ctx.platform)}`,
        { hint: forbiddenHint(port, label, ctx.platform) },
      );
  }
}

/** How to run with the privilege to see every process: root on POSIX, an elevated prompt on Windows. */
export function asAdmin(platform: NodeJS.Platform = process.platform): string {
  return platform === 'win32' ? 'from an elevated (administrator) prompt' : 'as root';
}

function forbiddenCause(port: number, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') {
    return 'Windows reserves it (a range excluded by Hyper-V, WSL2 or WinNAT; WinError 10013)';
  }
  return port < 1024 ? 'ports below 1024 are privileged' : 'the system does not allow binding it';
}

/** How to choose another port, or what would allow this one, per platform. */
export function forbiddenHint(
  port: number,
  label: string,
  platform: NodeJS.Platform = process.platform,
): string {
  const another = `choose another with --port ${label}=PORT or in launcher.yaml, or run with --remap`;
  if (platform === 'win32') {
    return (
      `See the reserved ranges with: netsh interface ipv4 show excludedportrange protocol=tcp ` +
      `— then ${another}. (Restarting the WinNAT service, net stop winnat && net start winnat, often moves the ranges.)`
    );
  }
  if (port >= 1024) return `Check what forbids it (a security policy?), or ${another}.`;
  const allow =
    platform === 'linux'
      ? 'run as root, give node the capability (sudo setcap cap_net_bind_service=+ep "$(command -v node)"), ' +
        'or lower the limit (sudo sysctl net.ipv4.ip_unprivileged_port_start=' +
        port +
        ')'
      : 'run as root';
  return `Use a port above 1023: ${another}. To bind ${port} anyway, ${allow}.`;
}

/** The holder was stopped, but the port still cannot be bound within the wait. */
export function stillBusyError(port: number, label: string, waitedMs: number): DevlaunchError {
  return new DevlaunchError(
    'PORT_CONFLICT',
    `port ${port} of ${label} still cannot be bound ${waitedMs} ms after its holder was stopped`,
    {
      hint: `See who holds it now with devlaunch ports ${port}; or take another port with --remap.`,
    },
  );
}
