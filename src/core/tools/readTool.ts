import fs from 'node:fs';
import readline from 'node:readline';
import { ToolError, type ToolHandler } from './toolError';
import { fileLooksBinary } from './walk';
import { resolveInWorkspace } from './workspacePath';

export interface ReadFileInput {
  path: string;
  start_line?: number;
  end_line?: number;
}

export const readFile: ToolHandler<ReadFileInput> = async (input, ctx) => {
  const { abs, rel } = resolveInWorkspace(ctx.workspaceRoot, input.path);
  const start = input.start_line ?? 1;
  const end = input.end_line;
  if (end !== undefined && end < start) throw new ToolError(`end_line (${end}) is before start_line (${start}).`);
  const ranged = input.start_line !== undefined || input.end_line !== undefined;
  const maxBytes = ctx.limits.maxReadBytes;

  ctx.changes.noteRead(rel);
  const pending = ctx.changes.pendingContent(rel);
  if (pending !== undefined) {
    const size = Buffer.byteLength(pending, 'utf8');
    if (size > maxBytes && !ranged) throw tooBig(rel, size, maxBytes);
    return formatLines(rel, splitLines(pending), start, end, ' (your pending change, not yet on disk)');
  }

  const stat = fs.statSync(abs, { throwIfNoEntry: false });
  if (!stat) throw new ToolError(`File not found: ${rel}`);
  if (stat.isDirectory()) throw new ToolError(`${rel} is a directory; use list_files to see what it holds.`);
  if (!stat.isFile()) throw new ToolError(`${rel} is not a regular file.`);
  if (fileLooksBinary(abs)) throw new ToolError(`${rel} is a binary file (${stat.size} bytes); it cannot be read as text.`);
  if (stat.size <= maxBytes) return formatLines(rel, splitLines(fs.readFileSync(abs, 'utf8')), start, end, '');
  if (!ranged) throw tooBig(rel, stat.size, maxBytes);
  return readRangeOfLargeFile(abs, rel, start, end, maxBytes);
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

function formatLines(rel: string, lines: string[], start: number, end: number | undefined, note: string): string {
  if (lines.length === 0) return `[${rel} is empty${note}]`;
  if (start > lines.length) {
    throw new ToolError(`start_line ${start} is past the end of ${rel}, which has ${lines.length} lines.`);
  }
  const last = Math.min(end ?? lines.length, lines.length);
  return `[${rel}: lines ${start}-${last} of ${lines.length}${note}]\n${numberLines(lines.slice(start - 1, last), start)}`;
}

/** Streams a file too large to load, keeping only the requested lines (and at most `maxBytes` of them). */
async function readRangeOfLargeFile(abs: string, rel: string, start: number, end: number | undefined, maxBytes: number) {
  const stream = fs.createReadStream(abs, { encoding: 'utf8' });
  const reader = readline.createInterface({ input: stream, crlfDelay: Infinity });
  const kept: string[] = [];
  let keptBytes = 0;
  let lineNo = 0;
  let reachedEnd = true;
  let hitByteLimit = false;
  try {
    for await (const line of reader) {
      lineNo += 1;
      if (lineNo < start) continue;
      if ((end !== undefined && lineNo > end) || keptBytes + line.length > maxBytes) {
        hitByteLimit = end === undefined || lineNo <= end;
        reachedEnd = false;
        break;
      }
      kept.push(line);
      keptBytes += line.length + 1;
    }
  } finally {
    reader.close();
    stream.destroy();
  }
  if (kept.length === 0) {
    if (hitByteLimit) throw new ToolError(`Line ${start} of ${rel} alone is over the ${maxBytes}-byte read limit.`);
    throw new ToolError(`start_line ${start} is past the end of ${rel}, which has ${lineNo} lines.`);
  }
  const last = start + kept.length - 1;
  const of = reachedEnd ? ` of ${lineNo}` : '';
  const limitNote = hitByteLimit ? `\n[Stopped after line ${last}: the read limit is ${maxBytes} bytes.]` : '';
  return `[${rel}: lines ${start}-${last}${of}]\n${numberLines(kept, start)}${limitNote}`;
}
