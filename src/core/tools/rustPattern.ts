/** Punctuation Rust's regex syntax accepts escaped; JavaScript accepts any punctuation escaped. */
const RUST_ESCAPABLE = new Set('\\.+*?()|[]{}^$#&-~'.split(''));

/**
 * Rewrites the JavaScript-only spellings models commonly use into ripgrep's (Rust) regex syntax:
 * `\/` and other needless escapes of punctuation, `(?<name>` groups and the `[^]` class. Anything
 * else passes through; lookaround and backreferences are left to ripgrep's PCRE2 engine.
 */
export function toRustPattern(source: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\' && i + 1 < source.length) {
      const next = source[i + 1]!;
      const needless = /[ -/:-@[-`{-~]/.test(next) && !RUST_ESCAPABLE.has(next);
      out += needless ? next : c + next;
      i += 1;
      continue;
    }
    if (!inClass && source.startsWith('[^]', i)) {
      out += '[\\s\\S]';
      i += 2;
      continue;
    }
    if (!inClass && source.startsWith('(?<', i) && source[i + 3] !== '=' && source[i + 3] !== '!') {
      out += '(?P<';
      i += 2;
      continue;
    }
    if (c === '[' && !inClass) inClass = true;
    else if (c === ']' && inClass) inClass = false;
    out += c;
  }
  return out;
}
