/**
 * Parser for Windows `netstat -ano`: `Proto  Local Address  Foreign Address  State  PID`.
 * `-p TCP` would list IPv4 sockets only (IPv6 needs `-p TCPv6`), so devlaunch runs plain
 * `netstat -ano` and keeps the TCP rows. Header lines and state names are localised
 * (`ABHÖREN`, `ÉCOUTE`, `侦听`…, and printed in the console code page), so a row counts as
 * listening when its state is `LISTENING` or its foreign address is the unspecified
 * `0.0.0.0:0` / `[::]:0` that only listening sockets have. A localised state may itself
 * contain spaces (Italian `IN ASCOLTO`), so the PID is the last column, not the fifth.
 */
import type { Listener } from '../types.js';
import { splitHostPort } from './parse-ss.js';

const UNSPECIFIED_PEERS = new Set(['0.0.0.0:0', '[::]:0', '*:*']);

export function parseNetstatAno(text: string): Listener[] {
  const listeners: Listener[] = [];
  for (const line of text.split(/\r?\n/)) {
    const fields = line.trim().split(/\s+/);
    // TCP rows: Proto, Local, Foreign, State (one or more words), PID.
    if (fields[0]?.toUpperCase() !== 'TCP' || fields.length < 5) continue;
    const [, local = '', foreign = ''] = fields;
    const state = fields.slice(3, -1).join(' ');
    const pidText = fields.at(-1) ?? '';
    if (state.toUpperCase() !== 'LISTENING' && !UNSPECIFIED_PEERS.has(foreign)) continue;
    const parsed = splitHostPort(local);
    if (!parsed || !/^\d+$/.test(pidText)) continue;
    listeners.push({ port: parsed.port, address: parsed.address, pid: Number(pidText) });
  }
  return listeners;
}
