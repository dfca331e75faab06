/** Two services (or one service twice) preferring the same port: one of them could never get it. */
import type { Problem } from '../diagnostics.js';
import type { Manifest } from '../types.js';

export function duplicatePorts(manifest: Manifest): Problem[] {
  const firstUse = new Map<number, string>();
  const problems: Problem[] = [];
  for (const [name, service] of Object.entries(manifest.services)) {
    const wanted: [path: (string | number)[], port: number | 'auto' | null][] = [
      [['services', name, 'port'], service.port],
      ...Object.entries(service.ports).map(
        ([portName, port]): [(string | number)[], number | 'auto'] => [
          ['services', name, 'ports', portName],
          port,
        ],
      ),
    ];
    for (const [path, port] of wanted) {
      if (typeof port !== 'number') continue;
      const where = path.slice(1).join('.');
      const first = firstUse.get(port);
      if (first === undefined) {
        firstUse.set(port, where);
        continue;
      }
      problems.push({
        path,
        message: `port ${port} is already preferred by ${first}`,
        expected: 'a port no other service prefers',
        found: String(port),
        hint: 'give one of them another port, or auto for any free one',
      });
    }
  }
  return problems;
}
