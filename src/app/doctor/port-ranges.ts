/**
 * Doctor: preferred ports that cannot be bound whoever holds them. Below the unprivileged
 * limit (1024, or on Linux net.ipv4.ip_unprivileged_port_start) only root may bind; on Windows,
 * Hyper-V, WSL2 and WinNAT reserve ranges that nobody may bind (WinError 10013). And where
 * dynamic ports come from: outside the kernel's ephemeral range, if it leaves room.
 */
import { readFileSync } from 'node:fs';
import {
  dynamicPools,
  LOW_FLOOR,
  type PortRange,
  windowsReservedRanges,
} from '../../ports/index.js';
import { type CheckResult, error, ok, warn } from './check.js';

const NETSH = 'netsh interface ipv4 show excludedportrange protocol=tcp';

/** Linux: the sysctl; elsewhere (and when unreadable) the classic 1024. */
export function unprivilegedPortStart(platform: NodeJS.Platform = process.platform): number {
  if (platform !== 'linux') return 1024;
  try {
    const value = Number(readFileSync('/proc/sys/net/ipv4/ip_unprivileged_port_start', 'utf8'));
    return Number.isInteger(value) && value >= 0 ? value : 1024;
  } catch {
    return 1024;
  }
}

const listed = (ports: number[], labels: Map<number, string>) =>
  ports.map((p) => `${p} (${labels.get(p) ?? '?'})`).join(', ');

export function checkPrivileged(
  labels: Map<number, string>,
  opts: { platform?: NodeJS.Platform; uid?: number | null; limit?: number } = {},
): CheckResult {
  const platform = opts.platform ?? process.platform;
  const check = 'privileged ports';
  if (platform === 'win32') return ok(check, 'Windows has no privileged ports');
  const uid = opts.uid !== undefined ? opts.uid : (process.getuid?.() ?? null);
  const limit = opts.limit ?? unprivilegedPortStart(platform);
  const low = [...labels.keys()].filter((p) => p < limit).sort((a, b) => a - b);
  if (low.length === 0) return ok(check, `no preferred port is below ${limit}`);
  if (uid === 0) return ok(check, `running as root: ${listed(low, labels)} may be bound`);
  const fix = `Pick ports from ${limit} up (in launcher.yaml, or --port NAME=PORT for one run)`;
  if (platform === 'linux') {
    return error(
      check,
      `only root may bind below ${limit} (net.ipv4.ip_unprivileged_port_start): ${listed(low, labels)}`,
      `${fix}, or lower the limit: sudo sysctl net.ipv4.ip_unprivileged_port_start=${low[0]}.`,
    );
  }
  // macOS lets any user bind most addresses below 1024 since 10.14; other systems may not.
  return warn(check, `ports below ${limit} may need root here: ${listed(low, labels)}`, `${fix}.`);
}

export async function checkReserved(
  labels: Map<number, string>,
  platform: NodeJS.Platform = process.platform,
  ranges?: { from: number; to: number }[],
): Promise<CheckResult> {
  const check = 'reserved ports';
  if (platform !== 'win32' && ranges === undefined) {
    return ok(check, 'only Windows reserves port ranges (Hyper-V, WSL2, WinNAT): nothing to check');
  }
  const excluded = ranges ?? (await windowsReservedRanges());
  const hits = [...labels.keys()].flatMap((port) => {
    const range = excluded.find((r) => r.from <= port && port <= r.to);
    return range ? [`${port} (${labels.get(port) ?? '?'}) is in ${range.from}-${range.to}`] : [];
  });
  if (hits.length === 0) {
    return ok(check, `no preferred port is in a reserved range (${excluded.length} ranges)`);
  }
  return error(
    check,
    `Windows reserves these ports, binding them fails with WinError 10013: ${hits.join('; ')}`,
    `Pick ports outside the ranges that \`${NETSH}\` lists (Hyper-V and WinNAT pick them at boot; restarting the winnat service often moves them).`,
  );
}

/**
 * Where `auto` and `--dynamic` ports come from (docs/ports.md): outside the ephemeral range,
 * which the OS uses for every outgoing connection. A range that leaves no room outside it
 * means they come from inside, where a connection can take one before its service binds it.
 */
export function checkDynamicPorts(
  ephemeral: PortRange,
  platform: NodeJS.Platform = process.platform,
): CheckResult {
  const check = 'dynamic ports';
  const range = `${ephemeral.from}-${ephemeral.to}`;
  const pools = dynamicPools(ephemeral);
  if (pools.length > 0) {
    const from = pools.map((p) => `${p.from}-${p.to}`).join(', then ');
    return ok(check, `picked from ${from}: outside the ephemeral range ${range}`);
  }
  return warn(
    check,
    `the ephemeral range ${range} covers every port from ${LOW_FLOOR} up: auto and --dynamic ports come from inside it, where an outgoing connection can take one before its service binds it`,
    platform === 'linux'
      ? "Give the range back its default: sudo sysctl net.ipv4.ip_local_port_range='32768 60999'."
      : 'Narrow the ephemeral port range of the system (its default is 49152-65535).',
  );
}
