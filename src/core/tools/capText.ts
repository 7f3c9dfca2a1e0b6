/** The marker put where text was cut out. */
export function omissionMarker(omitted: number): string {
  return `\n… [${omitted} characters omitted] …\n`;
}

/**
 * Caps `text` at `max` characters, keeping its head and its tail around an omission marker,
 * so both the start (what ran) and the end (how it ended) of long outputs stay visible.
 */
export function capText(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max < omissionMarker(text.length).length + 2) return trimEnd(text, Math.max(0, Math.floor(max)));
  const half = Math.ceil(max / 2);
  return joinHeadTail(text.slice(0, half), text.slice(text.length - half), text.length - 2 * half, max);
}

/**
 * Joins the kept head and tail of a longer text (of which `omitted` characters between them
 * are already gone) around an omission marker, trimming both so the result fits `max`.
 */
export function joinHeadTail(head: string, tail: string, omitted: number, max: number): string {
  const total = head.length + tail.length + omitted;
  if (total <= max && omitted === 0) return head + tail;
  const max0 = Math.max(0, Math.floor(max));
  // The marker is sized for the largest count it could show, so the result never overshoots.
  const budget = max0 - omissionMarker(total).length;
  if (budget <= 0) return trimEnd(head + tail, max0);

  let headKeep = Math.min(head.length, Math.ceil(budget / 2));
  let tailKeep = Math.min(tail.length, budget - headKeep);
  headKeep = Math.min(head.length, budget - tailKeep);
  const keptHead = trimEnd(head, headKeep);
  const keptTail = trimStart(tail, tailKeep);
  if (keptHead.length + keptTail.length === total) return keptHead + keptTail;
  const gone = total - keptHead.length - keptTail.length;
  return keptHead + omissionMarker(gone) + keptTail;
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/** The first `n` characters, without splitting a surrogate pair. */
function trimEnd(s: string, n: number): string {
  if (n >= s.length) return s;
  if (n > 0 && isHighSurrogate(s.charCodeAt(n - 1))) n -= 1;
  return s.slice(0, n);
}

/** The last `n` characters, without splitting a surrogate pair. */
function trimStart(s: string, n: number): string {
  if (n >= s.length) return s;
  let start = s.length - n;
  if (start < s.length && isLowSurrogate(s.charCodeAt(start))) start += 1;
  return s.slice(start);
}
