/** "Did you mean": the known word closest to a mistyped one, by edit distance. */

/** Levenshtein distance (insert, delete, substitute; a swap of neighbours counts as one). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const row = d[i]!;
      const prev = d[i - 1]!;
      let best = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      // A transposition ("prot" for "port") is one typo, not two.
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      }
      row[j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** Three rows of the distance table, reused from call to call (grown when a word is longer). */
let rows: [Int32Array, Int32Array, Int32Array] = [
  new Int32Array(64),
  new Int32Array(64),
  new Int32Array(64),
];

/**
 * `editDistance(a, b)` when it is at most `max`, else `max + 1`: only the diagonal band the
 * answer can lie in is filled, and the rows stop once every path already costs more. A check
 * against thousands of names (a mistyped `depends_on` in a large manifest) stays cheap.
 */
export function editDistanceWithin(a: string, b: string, max: number): number {
  const over = max + 1;
  if (Math.abs(a.length - b.length) > max) return over; // each edit changes the length by ≤ 1
  const cols = b.length + 1;
  if (rows[0].length < cols) {
    rows = [new Int32Array(cols * 2), new Int32Array(cols * 2), new Int32Array(cols * 2)];
  }
  let [before, prev, row] = rows; // rows i - 2, i - 1 and i
  for (let j = 0; j < cols; j++) prev[j] = Math.min(j, over);
  let prevLow = 0;
  for (let i = 1; i <= a.length; i++) {
    // Outside the band |i - j| ≤ max every cell is over max: the band's two neighbours say so.
    const from = Math.max(1, i - max);
    const to = Math.min(b.length, i + max);
    row[0] = Math.min(i, over);
    row[from - 1] = from === 1 ? row[0] : over;
    if (to < b.length) row[to + 1] = over;
    let low = row[from - 1] as number;
    for (let j = from; j <= to; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(
        (prev[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (prev[j - 1] as number) + cost,
      );
      // A transposition ("prot" for "port") is one typo, not two.
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, (before[j - 2] as number) + 1);
      }
      row[j] = Math.min(best, over);
      if (best < low) low = best;
    }
    // A cell comes from this row or the one before (+1 from two rows up): both over, all over.
    if (low > max && prevLow > max) return over;
    prevLow = low;
    [before, prev, row] = [prev, row, before];
  }
  return Math.min(prev[b.length] as number, over);
}

const fold = (s: string) => s.toLowerCase().replace(/-/g, '_');

/**
 * `closest` for many words against one list: the candidates are folded once. Answers exactly
 * as `closest(word, candidates)` does.
 */
export function closestIn(candidates: readonly string[]): (word: string) => string | undefined {
  const folded = candidates.map(fold);
  return (word) => {
    const target = fold(word);
    const limit = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
    let best: string | undefined;
    let bestDistance = limit + 1;
    for (let i = 0; i < folded.length && bestDistance > 0; i++) {
      // Only a closer candidate than the best so far matters: the band narrows as it improves.
      const distance = editDistanceWithin(target, folded[i] as string, bestDistance - 1);
      if (distance < bestDistance) {
        best = candidates[i];
        bestDistance = distance;
      }
    }
    return best;
  };
}

/**
 * The candidate closest to `word`, if it is close enough to be a likely typo: at most a third
 * of the word's length (at least 1, at most 3 edits). Case and `-`/`_` differences are free.
 * Of equally close candidates, the first.
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  return closestIn(candidates)(word);
}

/** `did you mean "port"?`, or undefined when nothing is close. */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  return hint(closest(word, candidates));
}

/** `didYouMean` for many words against one list. */
export function didYouMeanIn(candidates: readonly string[]): (word: string) => string | undefined {
  const find = closestIn(candidates);
  return (word) => hint(find(word));
}

/**
 * `one of a, b, c`; past `max` names, the first ones and how many more, so that a manifest of
 * hundreds of services gets an answer of one line.
 */
export function oneOf(names: readonly string[], max = 12): string {
  if (names.length <= max) return `one of ${names.join(', ')}`;
  return `one of ${names.slice(0, max).join(', ')}, … ${names.length - max} more`;
}

function hint(match: string | undefined): string | undefined {
  return match === undefined ? undefined : `did you mean "${match}"?`;
}
