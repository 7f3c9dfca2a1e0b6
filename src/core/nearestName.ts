/** The known name a typo most likely meant ("paralel" → "parallel"), within two edits; undefined when none is that close. */
export function nearestName<T extends string>(typed: string, known: readonly T[]): T | undefined {
  let best: { name: T; d: number } | undefined;
  for (const name of known) {
    const d = distance(name, typed);
    if (d <= 2 && (!best || d < best.d)) best = { name, d };
  }
  return best?.name;
}

/** Levenshtein distance; names are short so the quadratic table is fine. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}
