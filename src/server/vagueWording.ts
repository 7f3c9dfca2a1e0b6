/**
 * Wording the requirement-quality literature flags as untestable (ambiguous adjectives and
 * adverbs, open-ended lists, escape clauses): each phrase with what to write instead.
 */
const VAGUE: { pattern: RegExp; advice: string }[] = [
  { pattern: /\b(?:fast|quick(?:ly)?|rapid(?:ly)?|responsive)\b/gi, advice: 'state a measurable bound (e.g. "within 200 ms")' },
  { pattern: /\buser[- ]friendly\b|\b(?:easy|easily|intuitive(?:ly)?|simple to use)\b/gi, advice: 'name the observable behaviour a test can check' },
  { pattern: /\betc\.?(?=\W|$)|\band so on\b/gi, advice: 'list every case; an open-ended list cannot be verified' },
  { pattern: /\band\/or\b/gi, advice: 'say "and", "or", or "either … or … but not both"' },
  { pattern: /\bas (?:appropriate|needed|required|necessary)\b|\bif possible\b|\bwhere applicable\b/gi, advice: 'say exactly when it applies' },
  { pattern: /\b(?:robust|efficient(?:ly)?|seamless(?:ly)?|flexible|adequate(?:ly)?|reasonabl[ey])\b/gi, advice: 'replace it with a criterion a test can measure' },
];

export interface VagueWord {
  /** 0-based line and character range within the text. */
  line: number;
  start: number;
  end: number;
  phrase: string;
  advice: string;
}

/** Vague phrases in the given lines (0-based line numbers), outside inline code. */
export function findVagueWording(lines: { line: number; text: string }[]): VagueWord[] {
  const found: VagueWord[] = [];
  for (const { line, text } of lines) {
    const code = [...text.matchAll(/`[^`]*`/g)].map((m) => [m.index!, m.index! + m[0].length] as const);
    const inCode = (at: number) => code.some(([s, e]) => at >= s && at < e);
    for (const { pattern, advice } of VAGUE) {
      for (const m of text.matchAll(pattern)) {
        if (inCode(m.index!)) continue;
        found.push({ line, start: m.index!, end: m.index! + m[0].length, phrase: m[0], advice });
      }
    }
  }
  return found.sort((a, b) => a.line - b.line || a.start - b.start);
}
