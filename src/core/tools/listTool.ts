import fs from 'node:fs';
import { ToolError, type ToolHandler } from './toolError';
import { comparePaths, readDirSorted } from './walk';
import { resolveInWorkspace } from './workspacePath';

export interface ListFilesInput {
  path?: string;
}

/** Breadth-first, so a capped listing still shows the shape of the tree rather than one corner of it. */
export const listFiles: ToolHandler<ListFilesInput> = async (input, ctx) => {
  const { abs, rel } = resolveInWorkspace(ctx.workspaceRoot, input.path ?? '.');
  const stat = fs.statSync(abs, { throwIfNoEntry: false });
  if (!stat) throw new ToolError(`Directory not found: ${rel}`);
  if (!stat.isDirectory()) throw new ToolError(`${rel} is a file, not a directory; use read_file to read it.`);

  const cap = ctx.limits.maxListEntries;
  const entries: string[] = [];
  let truncated = false;
  const queue = [{ abs, rel }];
  while (queue.length > 0 && !truncated) {
    const dir = queue.shift()!;
    for (const entry of readDirSorted(dir.abs, dir.rel)) {
      if (entries.length >= cap) {
        truncated = true;
        break;
      }
      entries.push(entry.kind === 'dir' ? `${entry.rel}/` : entry.rel);
      if (entry.kind === 'dir') queue.push(entry);
    }
  }

  if (entries.length === 0) return `${rel === '.' ? 'The workspace' : rel} is empty.`;
  entries.sort(comparePaths);
  const lines = entries.join('\n');
  if (!truncated) return lines;
  return (
    `${lines}\n[Listing truncated at ${cap} entries (breadth-first, so deeper entries are missing); ` +
    `list a subdirectory to see more.]`
  );
};
