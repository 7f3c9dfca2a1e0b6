import { fileURLToPath } from 'node:url';
import type { FailingTest } from '../types';

export const MAX_FAILURES = 50;
export const MAX_MESSAGE_CHARS = 500;
export const MAX_MESSAGE_LINES = 6;

// CSI sequences (colours, cursor moves) and OSC sequences (hyperlinks).
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/** A V8 stack frame line: `at fn (file:line:col)` or `at file:line:col`. */
export const STACK_LINE = /^\s*at (?:.+? \()?(.+?):(\d+):(\d+)\)?\s*$/;

/** A stack line as TAP YAML lists them, without the `at `. */
const BARE_FRAME = /^\s*(?:.+? \()?(.+?):(\d+):(\d+)\)?\s*$/;

export type Location = Pick<FailingTest, 'file' | 'line' | 'column'>;

/** The first frame in the project's own code: not Node internals, not node_modules. */
export function locationFromStack(lines: readonly string[], bare = false): Location | undefined {
  for (const line of lines) {
    const m = (bare ? BARE_FRAME : STACK_LINE).exec(line);
    if (!m) continue;
    const file = toPath(m[1]!);
    if (file.startsWith('node:') || file.includes('node_modules') || file.startsWith('internal/') || file === '<anonymous>') continue;
    return { file, line: Number(m[2]), column: Number(m[3]) };
  }
  return undefined;
}

/** `path:line[:col]` as Node prints test locations. */
export function parseLocation(text: string): Location | undefined {
  const m = /^(.+?):(\d+)(?::(\d+))?$/.exec(text.trim());
  if (!m) return undefined;
  return { file: toPath(m[1]!), line: Number(m[2]), ...(m[3] ? { column: Number(m[3]) } : {}) };
}

export function toPath(file: string): string {
  if (!file.startsWith('file://')) return file;
  try {
    return fileURLToPath(file);
  } catch {
    return file;
  }
}

/** Lines before the first stack frame, dedented, without blank lines. */
export function messageLines(lines: readonly string[]): string[] {
  const end = lines.findIndex((l) => STACK_LINE.test(l));
  const kept = (end < 0 ? lines : lines.slice(0, end)).filter((l) => l.trim() !== '');
  const indent = Math.min(...kept.map((l) => /^\s*/.exec(l)![0].length));
  return kept.map((l) => l.slice(indent).trimEnd());
}

/** The first few lines, at most MAX_MESSAGE_CHARS. */
export function clipMessage(message: string): string {
  const lines = message
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== '')
    .slice(0, MAX_MESSAGE_LINES);
  const text = lines.join('\n').trim();
  return text.length <= MAX_MESSAGE_CHARS ? text : text.slice(0, MAX_MESSAGE_CHARS - 1) + '…';
}

export function indentOf(line: string): number {
  return /^\s*/.exec(line)![0].length;
}

export function count(text: string, pattern: RegExp): number | undefined {
  const m = pattern.exec(text);
  return m ? Number(m[1]) : undefined;
}

/**
 * When a whole test file fails to load, Node reports only "test failed"; the reason is the
 * child's stderr, printed unindented (or as `# ` comments in TAP) before the result.
 */
export function processError(lines: readonly string[]): string | undefined {
  for (const line of lines) {
    const m = /^(?:# )?((?:[A-Z]\w*)?Error(?: \[\w+\])?: .+)$/.exec(line);
    if (m) return m[1];
  }
  return undefined;
}
