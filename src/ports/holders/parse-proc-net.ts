/**
 * Parser for Linux `/proc/net/tcp` and `/proc/net/tcp6`: the kernel's socket tables, readable
 * without any tool installed. Each row gives the local address, the TCP state and the socket
 * inode, which `/proc/PID/fd` links back to the process (see `linux-proc.ts`).
 */

/** The `st` column of a listening socket (TCP_LISTEN in the kernel's enum, printed as hex). */
export const TCP_LISTEN = '0A';

export interface ProcNetSocket {
  /** Decoded address: `0.0.0.0`, `127.0.0.1`, `::`, `::1`, `::ffff:127.0.0.1`, … */
  localAddress: string;
  port: number;
  /** Two hex digits as printed, e.g. `0A` (LISTEN) or `01` (ESTABLISHED). */
  state: string;
  inode: number;
  uid: number;
}

/**
 * Parses the text of `/proc/net/tcp` (`family` 4) or `/proc/net/tcp6` (`family` 6).
 * The kernel prints each 32-bit word of an address in host byte order; `littleEndian`
 * (default true: x86, ARM and every other mainstream Linux target) says how to read them.
 */
export function parseProcNetTcp(text: string, family: 4 | 6, littleEndian = true): ProcNetSocket[] {
  const sockets: ProcNetSocket[] = [];
  for (const line of text.split('\n')) {
    // "  0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000  0 12345 …"
    const fields = line.trim().split(/\s+/);
    if (!fields[0]?.endsWith(':') || fields.length < 10) continue;
    const [hexAddress, hexPort] = (fields[1] ?? '').split(':');
    const state = fields[3]?.toUpperCase();
    const uid = Number(fields[7]);
    const inode = Number(fields[9]);
    if (!hexAddress || !hexPort || !state || !Number.isInteger(uid) || !Number.isInteger(inode)) {
      continue;
    }
    const localAddress = decodeProcAddress(hexAddress, family, littleEndian);
    if (localAddress === null) continue;
    sockets.push({ localAddress, port: Number.parseInt(hexPort, 16), state, inode, uid });
  }
  return sockets;
}

/** Decodes one hex address column of /proc/net/tcp(6); null when it is malformed. */
export function decodeProcAddress(hex: string, family: 4 | 6, littleEndian = true): string | null {
  const expected = family === 4 ? 8 : 32;
  if (hex.length !== expected || !/^[0-9A-Fa-f]+$/.test(hex)) return null;
  const bytes: number[] = [];
  for (let word = 0; word < expected; word += 8) {
    const wordBytes = [0, 2, 4, 6].map((i) =>
      Number.parseInt(hex.slice(word + i, word + i + 2), 16),
    );
    bytes.push(...(littleEndian ? wordBytes.reverse() : wordBytes));
  }
  return family === 4 ? bytes.join('.') : formatIpv6(bytes);
}

/** RFC 5952 text form: lower case, longest zero run as `::`, IPv4-mapped as `::ffff:a.b.c.d`. */
function formatIpv6(bytes: number[]): string {
  const isMapped =
    bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 255 && bytes[11] === 255;
  if (isMapped) return `::ffff:${bytes.slice(12).join('.')}`;
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0));
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength && j - i > 1) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}
