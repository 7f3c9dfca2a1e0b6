/** Beyond this the hint is skipped: it is a courtesy, not worth a slow tool call. */
const MAX_SCAN_CHARS = 2_000_000;
const MIN_SIMILARITY = 0.6;

/**
 * The line of `content` most like the first non-blank line of `needle`, when one is close
 * enough to help a model see why its text did not match (usually whitespace).
 */
export function closestLine(content: string, needle: string): { line: number; text: string } | undefined {
  const target = needle.split('\n').find((l) => l.trim() !== '')?.trim();
  if (!target || content.length > MAX_SCAN_CHARS) return undefined;
  const targetGrams = bigrams(target);
  let best: { line: number; text: string; score: number } | undefined;
  const lines = content.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!.endsWith('\r') ? lines[i]!.slice(0, -1) : lines[i]!;
    const trimmed = text.trim();
    if (!trimmed) continue;
    const score = trimmed === target ? 1 : dice(targetGrams, bigrams(trimmed));
    if (!best || score > best.score) best = { line: i + 1, text, score };
  }
  if (!best || best.score < MIN_SIMILARITY) return undefined;
  return { line: best.line, text: best.text.length > 200 ? `${best.text.slice(0, 200)}…` : best.text };
}

function bigrams(s: string): Map<string, number> {
  const grams = new Map<string, number>();
  const text = s.length > 400 ? s.slice(0, 400) : s;
  for (let i = 0; i < text.length - 1; i++) {
    const g = text.slice(i, i + 2);
    grams.set(g, (grams.get(g) ?? 0) + 1);
  }
  return grams;
}

/** Sørensen–Dice similarity of two bigram multisets, 0..1. */
function dice(a: Map<string, number>, b: Map<string, number>): number {
  let shared = 0;
  let sizeA = 0;
  let sizeB = 0;
  for (const n of a.values()) sizeA += n;
  for (const n of b.values()) sizeB += n;
  if (sizeA + sizeB === 0) return 0;
  for (const [g, n] of a) shared += Math.min(n, b.get(g) ?? 0);
  return (2 * shared) / (sizeA + sizeB);
}
