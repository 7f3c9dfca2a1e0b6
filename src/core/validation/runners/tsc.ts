import type { FailingTest, RunnerParser } from '../types';
import { count } from './common';

const PLAIN = /^(.+?)\((\d+),(\d+)\): error (TS\d+): (.*)$/;
const PRETTY = /^(.+?):(\d+):(\d+) - error (TS\d+): (.*)$/;
const GLOBAL = /^error (TS\d+): (.*)$/;

/**
 * `tsc` diagnostics, plain (`src/a.ts(12,5): error TS2322: ...`) or `--pretty`
 * (`src/a.ts:12:5 - error TS2322: ...`). Indented lines right after one continue its message.
 */
export const parseTsc: RunnerParser = (lines, text) => {
  const failures: FailingTest[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const m = PLAIN.exec(line) ?? PRETTY.exec(line);
    const global = m ? undefined : GLOBAL.exec(line);
    if (!m && !global) continue;
    const message = [m ? m[5]! : global![2]!];
    while (i + 1 < lines.length && /^\s+\S/.test(lines[i + 1]!)) message.push(lines[++i]!.trim());
    failures.push(
      m
        ? { name: m[4]!, message: message.join('\n'), file: m[1]!.trim(), line: Number(m[2]), column: Number(m[3]) }
        : { name: global![1]!, message: message.join('\n') },
    );
  }
  if (failures.length === 0) return undefined;
  return { runner: 'tsc', failed: count(text, /^Found (\d+) errors?\b/m) ?? failures.length, failures };
};
