/** Small statistics and formatting for the result table. */

export function median(values) {
  const sorted = values
    .filter((v) => typeof v === 'number' && Number.isFinite(v))
    .sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Runs every function of `fns` once per round, rotating the order each round (A B, B A, …). */
export async function interleave(rounds, fns) {
  const results = fns.map(() => []);
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < fns.length; k++) {
      const i = (k + round) % fns.length;
      results[i].push(await fns[i](round));
    }
  }
  return results;
}

export function formatValue(value, unit) {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  switch (unit) {
    case 'ms':
      return `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;
    case 'MB':
      return `${value.toFixed(1)} MB`;
    case '%':
      return `${value.toFixed(2)} %`;
    case 'lines/s':
      return value >= 1e6 ? `${(value / 1e6).toFixed(2)} M/s` : `${Math.round(value / 1000)} k/s`;
    default:
      return `${value} ${unit ?? ''}`.trim();
  }
}

export function formatRatio(ratio) {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return '—';
  return `${ratio >= 10 ? ratio.toFixed(0) : ratio.toFixed(2)}×`;
}
