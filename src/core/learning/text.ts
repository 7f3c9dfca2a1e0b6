import { stripAnsi } from '../validation/runners/common';
import { normalisePaths } from '../validation/signature';

const MAX_QUOTED_CHARS = 40;
const HEX_ID = /\b(?:0x[0-9a-f]+|[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}|(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{6,})\b/g;
// Quotes must not touch a word character, so apostrophes ("can't ... don't") are not taken for quotes.
const LONG_QUOTED = new RegExp(`(?<!\\w)(["'\`])([^"'\`\\n]{${MAX_QUOTED_CHARS + 1},})\\1(?!\\w)`, 'g');
const PLACEHOLDER = /<(?:n|hex)>/g;
const STOPWORDS = new Set([
  'the', 'and', 'for', 'with', 'that', 'this', 'from', 'into', 'are', 'was', 'were', 'has', 'have', 'had', 'but',
  'its', 'can', 'will', 'should', 'must', 'been', 'which', 'when', 'then', 'than', 'there', 'their', 'they', 'you', 'your',
]);

/** Failure text with what varies between runs (paths, numbers, ids, colours, long literals) normalised away. */
export function normaliseFailureText(text: string): string {
  return normalisePaths(stripAnsi(text))
    .toLowerCase()
    .replace(HEX_ID, '<hex>')
    .replace(/\d+/g, '<n>')
    .replace(LONG_QUOTED, (_m, quote: string, body: string) => `${quote}${body.slice(0, MAX_QUOTED_CHARS)}…${quote}`)
    .replace(/\s+/g, ' ')
    .trim();
}

/** The distinct words of at least 3 characters, lowercased, without stopwords and normalisation placeholders. */
export function tokenSet(text: string): Set<string> {
  const words = text.toLowerCase().replace(PLACEHOLDER, ' ').split(/[^a-z0-9_]+/);
  return new Set(words.filter((w) => w.length >= 3 && !STOPWORDS.has(w)));
}

/** |a ∩ b| / |a ∪ b|; two empty sets share nothing, so 0. */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 0;
  let shared = 0;
  for (const t of a) if (b.has(t)) shared++;
  return shared / (a.size + b.size - shared);
}

/** A rough token count for prompt budgets: a token is about 4 characters. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Plain code-unit order, the same under every locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
