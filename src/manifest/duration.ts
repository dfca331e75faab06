/**
 * Durations as the manifest writes them: `500ms`, `5s`, `2m`, `1h`, combinations such as
 * `1m30s`, or a bare number of seconds (`5`, `0.5`, also as a string).
 */

/** The accepted duration text, shared by `parseDuration` and the schema (editors check it too). */
export const DURATION_PATTERN = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h))+$|^\d+(?:\.\d+)?$/;

/**
 * The longest duration a timer can wait: Node's setTimeout takes at most 2^31-1 ms (about 24.8
 * days) and fires at once, with a TimeoutOverflowWarning, for anything longer.
 */
export const MAX_DURATION_MS = 2 ** 31 - 1;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds for a duration, or null when it is not one (negative, NaN, unknown unit). */
export function parseDuration(value: string | number): number | null {
  if (typeof value === 'number') {
    return Number.isFinite(value) && value >= 0 ? Math.round(value * 1000) : null;
  }
  const text = value.trim();
  if (!DURATION_PATTERN.test(text)) return null;
  if (/^\d+(?:\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  let total = 0;
  for (const part of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) {
    total += Number(part[1]) * (UNIT_MS[part[2] ?? 's'] ?? 1000);
  }
  return Math.round(total);
}
