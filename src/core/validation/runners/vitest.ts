import type { FailingTest, RunnerParser } from '../types';
import { count, messageLines, toPath, type Location } from './common';

const FAIL = /^\s*FAIL\s+(.+?)\s*$/;
const CROSS = /^\s*[×✗] (.+?)(?: \d+(?:\.\d+)?m?s)?$/;
const FRAME = /^\s*❯ (?:.+? )?(\S+?):(\d+):(\d+)\s*$/;
const SEPARATOR = /^\s*⎯{3,}/;

/**
 * Vitest's default reporter: `FAIL  file > suite > test` blocks with the error, a
 * `❯ file:line:col` frame and code, and a `Tests  1 failed | 3 passed (4)` summary. Falls back to
 * the `× suite > test` / `→ message` lines when the detailed blocks are missing.
 */
export const parseVitest: RunnerParser = (lines, text) => {
  const summary = /^\s*Tests\s{2,}(\d.*)$/m.exec(text)?.[1];
  if (!summary && !/^\s*Test Files\s+\d+/m.test(text) && !/^\s*FAIL\s+\S+ > /m.test(text)) return undefined;
  const failures = detailed(lines);
  if (failures.length === 0) failures.push(...crossed(lines));
  return {
    runner: 'vitest',
    passed: summary ? count(summary, /(\d+) passed/) : undefined,
    failed: (summary ? count(summary, /(\d+) failed/) : undefined) ?? failures.length,
    failures,
  };
};

function detailed(lines: string[]): FailingTest[] {
  const failures: FailingTest[] = [];
  for (let i = 0; i < lines.length; i++) {
    const head = FAIL.exec(lines[i]!);
    if (!head) continue;
    const [file, ...titles] = head[1]!.replace(/\s*\[.*\]$/, '').split(' > ');
    const body: string[] = [];
    for (i++; i < lines.length && !FAIL.test(lines[i]!) && !SEPARATOR.test(lines[i]!); i++) body.push(lines[i]!);
    i--;
    const end = body.findIndex((l) => FRAME.test(l) || /^\s*\d+\|/.test(l));
    const message = messageLines(end < 0 ? body : body.slice(0, end)).join('\n');
    const where = frame(body) ?? { file };
    failures.push({ name: titles.length ? titles.join(' > ') : file!, message, ...where });
  }
  return failures;
}

function crossed(lines: string[]): FailingTest[] {
  const failures: FailingTest[] = [];
  let file: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const suite = /^\s*❯ (\S+\.\w+) \(\d+ tests?/.exec(lines[i]!);
    if (suite) file = suite[1];
    const cross = CROSS.exec(lines[i]!);
    if (!cross) continue;
    const arrow = /^\s*→ (.*)$/.exec(lines[i + 1] ?? '');
    failures.push({ name: cross[1]!, message: arrow?.[1] ?? 'failed', ...(file ? { file } : {}) });
  }
  return failures;
}

function frame(body: string[]): Location | undefined {
  for (const line of body) {
    const m = FRAME.exec(line);
    if (m && !m[1]!.includes('node_modules')) return { file: toPath(m[1]!), line: Number(m[2]), column: Number(m[3]) };
  }
  return undefined;
}
