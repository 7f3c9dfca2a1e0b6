/**
 * A JSON.parse error said the way an editor shows a place: `line 4, column 12: Unexpected number`
 * instead of `at position 57`. Where the parser names no position (it ran out of input, or met a
 * token it quotes) the place is found from the text: the end, or the first such token.
 */
export function describeJsonError(text: string, err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const at = /at position (\d+)/.exec(message);
  let offset: number | undefined = at ? Number(at[1]) : undefined;
  if (offset === undefined && /Unexpected end of JSON input/.test(message)) offset = text.length;
  offset ??= tokenOffset(text, message);
  const what = message
    .replace(/\s*(in JSON )?at position \d+(\s*\(line \d+ column \d+\))?/, '')
    .replace(/, (\.\.\.)?".*"(\.\.\.)? is not valid JSON$/s, '')
    .replace(/\0/g, '\\0');
  if (text.trim() === '' && !/\0/.test(text)) return 'the file is empty';
  if (/^\0+$/.test(text)) return 'the file holds only zero bytes';
  if (offset === undefined) return what;
  const { line, column } = lineAndColumn(text, offset);
  return `line ${line}, column ${column}: ${what}`;
}

export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.min(offset, text.length));
  const line = before.split('\n').length;
  const column = offset - (before.lastIndexOf('\n') + 1) + 1;
  return { line, column };
}

/**
 * V8 names an unexpected token with the text around it (`..."b": ]}"...`) but not its offset:
 * the quoted text is found in the file and the token in it, where V8 puts it (about ten
 * characters in when text was cut before it, ten from the end when only after it).
 */
function tokenOffset(text: string, message: string): number | undefined {
  const m = /Unexpected token '(.)', (\.\.\.)?"(.*)"(\.\.\.)? is not valid JSON$/su.exec(message);
  if (!m) return undefined;
  const [, token, cutBefore, quoted, cutAfter] = m;
  const start = text.indexOf(quoted);
  if (start < 0) return text.includes(token) ? text.indexOf(token) : undefined;
  if (!cutBefore) return cutAfter ? start + quoted.length - 10 : text.indexOf(token);
  const at = [...quoted].map((c, i) => (c === token ? i : -1)).filter((i) => i >= 0);
  at.sort((a, b) => Math.abs(a - 10.5) - Math.abs(b - 10.5));
  return at.length ? start + at[0] : undefined;
}
