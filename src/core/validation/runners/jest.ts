import type { FailingTest, RunnerParser } from '../types';
import { count, indentOf, locationFromStack, messageLines, type Location } from './common';

const BULLET = /^(\s*)● (.+)$/;
const FILE = /^\s*(?:FAIL|PASS)\s+(\S.*?)(?:\s+\(\d.*\))?\s*$/;
const CODE_FRAME = /^\s*(>\s*)?\d+\s*\|/;

/**
 * Jest's default reporter: `FAIL file` headers, `● suite › test` blocks with the message, a code
 * frame (`> 12 |`) and a stack, and a `Tests: 1 failed, 3 passed, 4 total` summary.
 */
export const parseJest: RunnerParser = (lines, text) => {
  if (!/^Tests:\s+\d+/m.test(text) && !/^\s*● .+ › /m.test(text)) return undefined;
  const failures: FailingTest[] = [];
  const seen = new Set<string>();
  let file: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const header = FILE.exec(lines[i]!);
    if (header) {
      file = header[1];
      continue;
    }
    const bullet = BULLET.exec(lines[i]!);
    if (!bullet || /^Console\b/.test(bullet[2]!)) continue;
    const indent = bullet[1]!.length;
    const body: string[] = [];
    for (i++; i < lines.length; i++) {
      const line = lines[i]!;
      if (line.trim() !== '' && (indentOf(line) <= indent || /^\s*console\.\w+$/.test(line))) break;
      body.push(line);
    }
    i--;
    const title = bullet[2]!.split(' › ').join(' > ');
    const name = title === 'Test suite failed to run' && file ? `${file} > ${title}` : title;
    // The same failure is repeated under "Summary of all failing tests".
    if (seen.has(`${file}\0${name}`)) continue;
    seen.add(`${file}\0${name}`);
    const frame = body.findIndex((l) => CODE_FRAME.test(l));
    const message = messageLines(frame < 0 ? body : body.slice(0, frame)).join('\n');
    const where = locationFromStack(body) ?? frameLocation(body, file);
    failures.push({ name, message, ...(where ?? (file ? { file } : {})) });
  }
  const summary = /^Tests:\s+(.*)$/m.exec(text)?.[1] ?? '';
  return {
    runner: 'jest',
    passed: count(summary, /(\d+) passed/),
    failed: count(summary, /(\d+) failed/) ?? failures.length,
    failures,
  };
};

/** Without a usable stack frame, the `> 12 |` line of the code frame gives the line. */
function frameLocation(body: string[], file: string | undefined): Location | undefined {
  const marked = body.map((l) => /^\s*>\s*(\d+)\s*\|/.exec(l)).find(Boolean);
  return file && marked ? { file, line: Number(marked[1]) } : undefined;
}
