/**
 * Parser for `netsh interface ipv4 show excludedportrange protocol=tcp`: the TCP port ranges
 * Windows reserves (Hyper-V, WSL 2, Docker Desktop and WinNAT take blocks of 100, often in
 * the dynamic range). Binding inside one fails with EACCES (WinError 10013), not EADDRINUSE.
 *
 *     Protocol tcp Port Exclusion Ranges
 *
 *     Start Port    End Port
 *     ----------    --------
 *           5357        5357
 *          50000       50059     *
 *
 *     * - Administered port exclusions.
 *
 * Headers are localised (`Puerto de inicio    Puerto final`), so only the number rows are
 * read; a trailing `*` marks an exclusion an administrator added, which reserves it all the same.
 */

export function parseExcludedPortRanges(text: string): { from: number; to: number }[] {
  const ranges: { from: number; to: number }[] = [];
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*(\d+)\s+(\d+)(?:\s+\*)?\s*$/.exec(line);
    if (!match) continue;
    const from = Number(match[1]);
    const to = Number(match[2]);
    if (from < 1 || to > 65535 || from > to) continue;
    ranges.push({ from, to });
  }
  return ranges;
}
