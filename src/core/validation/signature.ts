import { createHash } from 'node:crypto';
import { stripAnsi } from './runners/common';
import type { TestReport } from './types';

const TAIL_LINES = 6;

/**
 * A short stable id of a failure, for noticing that the same failure keeps coming back.
 * Built from the sorted failing test names, files and first message lines, with what varies
 * between runs (numbers, hex ids, durations, absolute paths, timestamps) normalised away; when no
 * failing tests were recognised, from the normalised last lines of the output.
 */
export function failureSignature(report: TestReport, exitCode: number | null, output: string): string {
  return `${report.runner}:${createHash('sha1').update(signatureText(report, exitCode, output)).digest('hex').slice(0, 16)}`;
}

/** The text the signature hashes; exported for tests and debugging. */
export function signatureText(report: TestReport, exitCode: number | null, output: string): string {
  const parts =
    report.failures.length > 0
      ? report.failures
          .map((f) => [normalisePaths(f.name), f.file ? normalisePaths(f.file) : '', normalise(f.message.split('\n', 1)[0] ?? '')].join(' | '))
          .sort()
      : tail(output).map(normalise);
  return [`${report.runner} exit=${exitCode ?? 'none'}`, ...parts].join('\n');
}

function tail(output: string): string[] {
  return stripAnsi(output)
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(-TAIL_LINES);
}

const ABSOLUTE_PATH = /(?<=^|[\s'"(=:,[])(?:file:\/\/)?(?:\/|[A-Za-z]:[\\/])(?:[^\s'"():,\\/]+[\\/])*([^\s'"():,\\/]+)/g;
const ISO_TIME = /\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?/g;
const CLOCK = /\b\d{1,2}:\d{2}:\d{2}(?:\.\d+)?\b/g;
const DURATION = /\b\d+(?:\.\d+)?\s?(?:ms|s|sec|secs|seconds?|m|min|minutes?)\b/g;
const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
const HEX = /\b(?:0x[0-9a-f]+|(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{6,})\b/gi;

/** Absolute paths reduced to their last part; the rest of the text kept. */
export function normalisePaths(text: string): string {
  return text.replace(ABSOLUTE_PATH, '$1');
}

export function normalise(text: string): string {
  return normalisePaths(text)
    .replace(ISO_TIME, '<time>')
    .replace(CLOCK, '<time>')
    .replace(UUID, '<id>')
    .replace(DURATION, '<duration>')
    .replace(HEX, '<hex>')
    .replace(/\d+/g, 'N')
    .replace(/\s+/g, ' ')
    .trim();
}
