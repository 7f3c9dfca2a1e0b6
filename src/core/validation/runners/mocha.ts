import type { FailingTest, RunnerParser } from '../types';
import { count, locationFromStack, messageLines } from './common';

const PASSING = /^\s*(\d+) passing\b/m;
const FAILING = /^\s*(\d+) failing\s*$/m;
const ENTRY = /^ {2}(\d+)\) (.*)$/;

/**
 * Mocha's base reporters (spec, dot, min, ...) end with `N passing (12ms)` / `N failing`, then
 * list each failure as `  1) suite` / `       test:` followed by the error and its stack.
 */
export const parseMocha: RunnerParser = (lines, text) => {
  if (!/^\s*\d+ passing \(\d+(?:\.\d+)?m?s\)/m.test(text) && !FAILING.test(text)) return undefined;
  const start = lines.findIndex((l) => FAILING.test(l) && !/passing/.test(l));
  const failures: FailingTest[] = [];
  if (start >= 0) {
    let i = start + 1;
    while (i < lines.length) {
      const head = ENTRY.exec(lines[i]!);
      if (!head) {
        i++;
        continue;
      }
      // The title runs, one part per line, up to the line ending in ':'.
      const titles = [head[2]!.trim()];
      i++;
      while (!titles.at(-1)!.endsWith(':') && i < lines.length && lines[i]!.trim() !== '') titles.push(lines[i++]!.trim());
      titles[titles.length - 1] = titles.at(-1)!.replace(/:$/, '');
      const body: string[] = [];
      while (i < lines.length && !ENTRY.test(lines[i]!)) body.push(lines[i++]!);
      failures.push({ name: titles.join(' > '), message: message(body), ...locationFromStack(body) });
    }
  }
  return {
    runner: 'mocha',
    passed: count(text, PASSING),
    failed: count(text, FAILING) ?? failures.length,
    failures,
  };
};

/**
 * Mocha indents its own lines by 5–6 spaces but not the continuation lines of the error message,
 * and appends a `+ expected - actual` diff that repeats what an assertion message already says.
 */
function message(body: string[]): string {
  const lines = messageLines(body.map((l) => l.replace(/^ {5,6}/, '')));
  const diff = lines.findIndex((l) => l.trim() === '+ expected - actual');
  return (diff > 0 ? lines.slice(0, diff) : lines).join('\n');
}
