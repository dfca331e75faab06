/**
 * `up --dry-run`: the launch plan for a person (a table of ports and why, what would be
 * stopped or asked, each service's command and the environment devlaunch sets) or as JSON.
 */
import type { HolderDetail } from '../plan/facts.js';
import type { LaunchPlan } from '../plan/launch-plan.js';
import type { PortLine } from '../plan/port-plan.js';
import type { Painter } from './colors.js';
import { renderTable } from './table.js';

/** The plan as JSON: every service's own environment, not the whole inherited one. */
export function launchPlanJson(plan: LaunchPlan): unknown {
  return {
    project: plan.project,
    file: plan.file,
    session: plan.session,
    dynamic: plan.dynamic,
    order: plan.order,
    ports: plan.ports,
    leftovers: plan.leftovers,
    blocked: plan.blocked,
    services: plan.services.map((s) => ({
      name: s.name,
      command: s.command,
      cwd: s.cwd,
      ports: s.ports,
      url: s.url,
      env: s.ownEnv,
    })),
  };
}

export function renderLaunchPlan(plan: LaunchPlan, color: Painter): string {
  const out: string[] = [];
  out.push(`${color.bold(plan.project)} (${plan.file})${plan.dynamic ? ', --dynamic' : ''}`);
  out.push(`start order: ${plan.order.join(' → ') || '(nothing)'}`);
  if (plan.blocked) out.push(color.red(`blocked: ${plan.blocked}`));
  if (plan.leftovers.length > 0) {
    out.push('', 'first, leftovers of earlier sessions would be stopped:');
    for (const l of plan.leftovers) {
      out.push(`  pid ${l.pid} (${l.service}, session ${l.session}): ${l.command}`);
    }
  }
  if (plan.ports.length > 0) {
    const rows = plan.ports.map((line) => [
      line.label,
      line.preferred === 'auto' ? 'auto' : String(line.preferred),
      portText(line),
      reasonText(line, color),
    ]);
    out.push('', renderTable(['PORT OF', 'PREFERRED', 'PORT', 'WHY'], rows));
  }
  for (const s of plan.services) {
    const command = typeof s.command === 'string' ? s.command : JSON.stringify(s.command);
    out.push('', `${color.bold(s.name)}${s.url ? ` ${s.url}` : ''}`, `  command: ${command}`);
    out.push(`  cwd: ${s.cwd}`);
    for (const [k, v] of Object.entries(s.ownEnv).sort(([a], [b]) => a.localeCompare(b))) {
      out.push(`  ${k}=${v}`);
    }
  }
  if (plan.services.length === 0 && plan.order.length > 0) {
    out.push('', 'commands and environments follow once every port is decided');
  }
  return `${out.join('\n')}\n`;
}

function portText(line: PortLine): string {
  return line.status === 'ok' ? String(line.port) : line.status === 'needs-port' ? '?' : '-';
}

function holders(list: readonly HolderDetail[]): string {
  if (list.length === 0) return 'an unknown process';
  return list
    .map((h) => (h.pid === null ? 'an unknown process' : `pid ${h.pid} (${h.command ?? '?'})`))
    .join(', ');
}

function reasonText(line: PortLine, color: Painter): string {
  switch (line.status) {
    case 'ok':
      switch (line.reason) {
        case 'preferred':
          return 'preferred, free';
        case 'dynamic':
          return 'dynamic: a free port from the OS';
        case 'remapped':
          return color.yellow(`remapped from ${line.from}: ${line.why}`);
        case 'reclaimed':
          return color.yellow(`reclaimed: would stop ${holders(line.stop)} of an earlier session`);
        case 'freed':
          return color.yellow(`would stop ${holders(line.stop)}`);
      }
      break;
    case 'ask':
      return color.yellow(
        `held by ${holders(line.holders)}: would ask (stop it / another port / abort)`,
      );
    case 'needs-port':
      return line.reason === 'remapped' ? `remapped from ${line.from}: ${line.why}` : 'dynamic';
    case 'fail': {
      const found = line.finding;
      const by =
        found.kind === 'held'
          ? holders(found.holders)
          : `the OS (${found.kind === 'forbidden' ? found.code : 'busy'})`;
      const refused =
        found.kind === 'held'
          ? found.holders.flatMap((h) => (h.refusal ? [h.refusal.reason] : []))
          : [];
      return color.red(
        `up would stop here (${line.failure}): held by ${by}${refused.length ? `; ${refused.join('; ')}` : ''}`,
      );
    }
    case 'twice':
      return color.red(`also asked for by ${line.with}`);
  }
  return '';
}
