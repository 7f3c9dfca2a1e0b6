import fs from 'node:fs';
import { ToolError, type ToolHandler } from './toolError';
import type { ToolContext } from './types';
import { looksBinary, readDirSorted, type WalkEntry } from './walk';
import { resolveInWorkspace } from './workspacePath';

export interface SearchFilesInput {
  pattern: string;
  path?: string;
}

/** Matching lines are shown up to this many characters (minified files have enormous lines). */
const MAX_LINE_CHARS = 300;

export const searchFiles: ToolHandler<SearchFilesInput> = async (input, ctx) => {
  let regex: RegExp;
  try {
    regex = new RegExp(input.pattern);
  } catch (err) {
    throw new ToolError(`Invalid regular expression ${JSON.stringify(input.pattern)}: ${(err as Error).message}`);
  }
  const { abs, rel } = resolveInWorkspace(ctx.workspaceRoot, input.path ?? '.');
  const stat = fs.statSync(abs, { throwIfNoEntry: false });
  if (!stat) throw new ToolError(`Not found: ${rel}`);

  const cap = ctx.limits.maxListEntries;
  const matches: string[] = [];
  const search = (file: WalkEntry): boolean => {
    const text = fileText(file, ctx);
    if (text === undefined) return true;
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!.endsWith('\r') ? lines[i]!.slice(0, -1) : lines[i]!;
      if (!regex.test(line)) continue;
      if (matches.length >= cap) return false;
      const shown = line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)}…` : line;
      matches.push(`${file.rel}:${i + 1}: ${shown}`);
    }
    return true;
  };

  const complete = stat.isDirectory() ? walkFiles({ abs, rel, kind: 'dir' }, search) : search({ abs, rel, kind: 'file' });
  const where = rel === '.' ? 'the workspace' : rel;
  if (matches.length === 0) return `No matches for /${input.pattern}/ in ${where}.`;
  const body = matches.join('\n');
  if (complete) return body;
  return `${body}\n[Stopped after ${cap} matches; use a more specific pattern or path.]`;
};

/** Depth-first in name order; stops as soon as `visit` returns false. */
function walkFiles(dir: WalkEntry, visit: (file: WalkEntry) => boolean): boolean {
  for (const entry of readDirSorted(dir.abs, dir.rel)) {
    if (entry.kind === 'dir' && !walkFiles(entry, visit)) return false;
    if (entry.kind === 'file' && !visit(entry)) return false;
  }
  return true;
}

/** A file's searchable text (the pending change if any), or undefined for binary, huge or unreadable files. */
function fileText(file: WalkEntry, ctx: ToolContext): string | undefined {
  const pending = ctx.changes.pendingContent(file.rel);
  if (pending !== undefined) return pending;
  try {
    const stat = fs.statSync(file.abs);
    if (!stat.isFile() || stat.size > ctx.limits.maxReadBytes) return undefined;
    const bytes = fs.readFileSync(file.abs);
    return looksBinary(bytes) ? undefined : bytes.toString('utf8');
  } catch {
    return undefined;
  }
}
