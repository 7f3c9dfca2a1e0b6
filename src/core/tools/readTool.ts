import fs from 'node:fs';
import { readLineRange, type LineRange } from './lineReader';
import { ToolError, type ToolHandler } from './toolError';
import { fileLooksBinary } from './walk';
import { resolveInWorkspace } from './workspacePath';

export interface ReadFileInput {
  path: string;
  start_line?: number;
  end_line?: number;
}

/** Room kept in the result for the header and the closing note. */
const FRAME_CHARS = 300;

export const readFile: ToolHandler<ReadFileInput> = async (input, ctx) => {
  const { abs, rel } = resolveInWorkspace(ctx.workspaceRoot, input.path);
  const start = input.start_line ?? 1;
  const end = input.end_line;
  if (end !== undefined && end < start) throw new ToolError(`end_line (${end}) is before start_line (${start}).`);
  const ranged = input.start_line !== undefined || input.end_line !== undefined;
  const maxBytes = ctx.limits.maxReadBytes;
  const maxChars = Math.max(100, ctx.limits.maxResultChars - FRAME_CHARS);

  ctx.changes.noteRead(rel);
  const pending = ctx.changes.pendingContent(rel);
  if (pending !== undefined) {
    const size = Buffer.byteLength(pending, 'utf8');
    if (size > maxBytes && !ranged) throw tooBig(rel, size, maxBytes);
    const range = rangeOfText(pending, start, end, maxChars);
    return formatRange(rel, start, range, ' (your pending change, not yet on disk)');
  }

  const stat = await fs.promises.stat(abs).catch(() => undefined);
  if (!stat) throw new ToolError(`File not found: ${rel}`);
  if (stat.isDirectory()) throw new ToolError(`${rel} is a directory; use list_files to see what it holds.`);
  if (!stat.isFile()) throw new ToolError(`${rel} is not a regular file.`);
  if (await fileLooksBinary(abs)) throw new ToolError(`${rel} is a binary file (${stat.size} bytes); it cannot be read as text.`);
  const small = stat.size <= maxBytes;
  if (!small && !ranged) throw tooBig(rel, stat.size, maxBytes);
  // Small files are counted to the end so the header can say "of N"; large ones stop at end_line.
  const range = await readLineRange(abs, stat, { start, end, maxBytes, maxChars, countAll: small });
  return formatRange(rel, start, range, '');
};

function tooBig(rel: string, size: number, max: number): ToolError {
  return new ToolError(
    `${rel} is ${size} bytes, over the ${max}-byte read limit. Read part of it with start_line and end_line ` +
      `(e.g. start_line 1, end_line 200), or use search_files to find the lines you need.`,
  );
}

/** Lines of a text, without their terminators; a final newline does not start another line. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

/** Numbers lines as `  12| text`; `lines[0]` is line `firstNumber`. */
export function numberLines(lines: string[], firstNumber: number): string {
  const width = Math.max(4, String(firstNumber + lines.length - 1).length);
  return lines.map((line, i) => `${String(firstNumber + i).padStart(width)}| ${line}`).join('\n');
}

function rangeOfText(text: string, start: number, end: number | undefined, maxChars: number): LineRange {
  const all = splitLines(text);
  const lines: string[] = [];
  let chars = 0;
  for (let i = start - 1; i < Math.min(end ?? all.length, all.length); i++) {
    const line = all[i]!;
    if (chars + line.length > maxChars) {
      if (lines.length > 0) return { lines, total: all.length, stoppedBy: 'chars' };
      return { lines: [line.slice(0, maxChars)], total: all.length, stoppedBy: 'chars', lineCut: true };
    }
    lines.push(line);
    chars += line.length + 1;
  }
  return { lines, total: all.length };
}

/** The header names the lines actually shown, and a note says how to read on when a limit cut them. */
function formatRange(rel: string, start: number, range: LineRange, note: string): string {
  const { lines, total, stoppedBy, lineCut } = range;
  if (total === 0) return `[${rel} is empty${note}]`;
  if (lines.length === 0) {
    const size = total === undefined ? '' : `, which has ${total} lines`;
    throw new ToolError(`start_line ${start} is past the end of ${rel}${size}.`);
  }
  const last = start + lines.length - 1;
  const extent = total !== undefined ? ` of ${total}` : ' (file continues)';
  const header = `[${rel}: lines ${start}-${last}${extent}${note}]`;
  const body = numberLines(lines, start);
  if (!stoppedBy) return `${header}\n${body}`;
  const limit = stoppedBy === 'bytes' ? 'the read limit' : 'the size limit of one result';
  if (lineCut) return `${header}\n${body}\n[Line ${last} is longer than ${limit} allows; only its start is shown.]`;
  return `${header}\n${body}\n[Stopped after line ${last}: ${limit} was reached. Continue with start_line ${last + 1}.]`;
}
