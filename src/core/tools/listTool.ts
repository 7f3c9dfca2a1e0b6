import fs from 'node:fs';
import { IgnoreRules } from './ignoreRules';
import { ToolError, type ToolHandler } from './toolError';
import { baseName, comparePaths, compareStrings, readDirEntries, SKIPPED_DIRS, type WalkEntry } from './walk';
import { resolveInWorkspace } from './workspacePath';

export interface ListFilesInput {
  path?: string;
}

interface QueuedDir {
  entry: WalkEntry;
  rules: IgnoreRules;
}

/** How many unopened directories the cut-off note names. */
const NAMED_DIRS = 5;

/**
 * Breadth-first, so a capped listing still shows the shape of the tree rather than one corner
 * of it. Folders are streamed and reading stops at the cap, so a huge folder costs no more than
 * a small one.
 */
export const listFiles: ToolHandler<ListFilesInput> = async (input, ctx) => {
  const { abs, rel } = resolveInWorkspace(ctx.workspaceRoot, input.path ?? '.');
  const stat = await fs.promises.stat(abs).catch(() => undefined);
  if (!stat) throw new ToolError(`Directory not found: ${rel}`);
  if (!stat.isDirectory()) throw new ToolError(`${rel} is a file, not a directory; use read_file to read it.`);

  const cap = ctx.limits.maxListEntries;
  const entries: string[] = [];
  let hiddenByGitignore = 0;
  let truncated = false;
  let partlyShown: string | undefined;
  const queue: QueuedDir[] = [{ entry: { abs, rel, kind: 'dir' }, rules: await IgnoreRules.forDirectory(ctx.workspaceRoot, rel) }];
  while (queue.length > 0 && !truncated) {
    if (ctx.signal?.aborted) throw new ToolError('Cancelled.');
    const { entry: dir, rules } = queue[0]!;
    const batch: WalkEntry[] = [];
    for await (const entry of readDirEntries(dir.abs, dir.rel)) {
      if (entry.kind === 'dir' && SKIPPED_DIRS.has(baseName(entry.rel))) continue;
      if (rules.ignores(entry.rel, entry.kind === 'dir')) {
        hiddenByGitignore += 1;
        continue;
      }
      if (entries.length + batch.length >= cap) {
        truncated = true;
        break;
      }
      batch.push(entry);
    }
    // Only what is shown is sorted, so a huge folder is never held whole.
    batch.sort((a, b) => compareStrings(a.rel, b.rel));
    for (const entry of batch) {
      entries.push(entry.kind === 'dir' ? `${entry.rel}/` : entry.rel);
      if (entry.kind === 'dir') queue.push({ entry, rules: await rules.enter(entry.abs, entry.rel) });
    }
    if (truncated && batch.length > 0) partlyShown = dir.rel;
    // A folder cut before any of its entries was shown counts as not opened.
    if (!truncated || batch.length > 0) queue.shift();
  }

  const ignoredNote = hiddenByGitignore > 0 ? `\n[${hiddenByGitignore} entries matched by .gitignore are not shown.]` : '';
  if (entries.length === 0) return `${rel === '.' ? 'The workspace' : rel} is empty.${ignoredNote}`;
  const listing = entries.sort(comparePaths).join('\n');
  if (!truncated) return listing + ignoredNote;
  return `${listing}\n${cutOffNote(cap, partlyShown, queue.map((q) => q.entry.rel))}${ignoredNote}`;
};

function cutOffNote(cap: number, partlyShown: string | undefined, unopened: string[]): string {
  const parts: string[] = [];
  if (partlyShown !== undefined) parts.push(`${partlyShown === '.' ? 'the workspace root' : `${partlyShown}/`} holds more than shown`);
  if (unopened.length > 0) {
    const named = unopened.slice(0, NAMED_DIRS).map((d) => `${d}/`).join(', ');
    const more = unopened.length > NAMED_DIRS ? ` and ${unopened.length - NAMED_DIRS} more` : '';
    parts.push(`${unopened.length} directories were not opened (${named}${more})`);
  }
  return `[Listing truncated at ${cap} entries (breadth-first): ${parts.join(', and ')}. List a subdirectory to see more.]`;
}
