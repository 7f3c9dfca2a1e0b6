import type { FailingTest, RunnerParser } from '../types';
import { count } from './common';

const PROBLEM = /^\s+(\d+):(\d+)\s+(error|warning)\s+(.+?)(?:\s{2,}(\S+))?\s*$/;

/**
 * ESLint's stylish formatter: a file path line, then `  12:5  error  message  rule-name` lines,
 * then `✖ N problems (X errors, Y warnings)`. Warnings do not fail a lint, so only errors are listed.
 */
export const parseEslint: RunnerParser = (lines, text) => {
  const summary = /^✖ \d+ problems? \((\d+) errors?, \d+ warnings?\)/m.exec(text);
  if (!summary && !lines.some((l, i) => PROBLEM.test(l) && i > 0 && isFileLine(lines[i - 1]!))) return undefined;
  const failures: FailingTest[] = [];
  let file: string | undefined;
  for (const line of lines) {
    if (isFileLine(line)) {
      file = line.trim();
      continue;
    }
    const m = PROBLEM.exec(line);
    if (!m || m[3] !== 'error') continue;
    failures.push({
      name: m[5] ?? 'error',
      message: m[4]!,
      ...(file ? { file } : {}),
      line: Number(m[1]),
      column: Number(m[2]),
    });
  }
  return { runner: 'eslint', failed: count(text, /^✖ \d+ problems? \((\d+) errors?/m) ?? failures.length, failures };
};

function isFileLine(line: string): boolean {
  return /^\S/.test(line) && !line.startsWith('✖') && /[\\/.]/.test(line) && !/\s{2}/.test(line);
}
