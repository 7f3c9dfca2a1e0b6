import { fileFilter } from './fileFilter';
import { findRipgrep, PatternNotSupported, runRipgrep } from './ripgrep';
import { inScope, searchRequest, type SearchFilesInput, type SearchRequest } from './searchRequest';
import { SearchResults } from './searchResults';
import { filesToSearch } from './searchWalk';
import { searchInWorker, type SearchItem, type WorkerSearch } from './searchWorker';
import type { ToolHandler } from './toolError';
import { trackedButSkipped } from './trackedFiles';
import type { ToolContext } from './types';

export type { SearchFilesInput } from './searchRequest';

const DEFAULT_TIMEOUT_MS = 20_000;
const DEFAULT_FILE_TIMEOUT_MS = 3_000;
/** Tracked-but-skipped files are named on ripgrep's command line; this keeps it well inside the OS limit. */
const MAX_TRACKED_EXTRAS = 2_000;

/**
 * ripgrep when there is one (fast, and its regex engine cannot backtrack catastrophically), else
 * the JavaScript search in a worker thread. The agent's pending changes are searched in place of
 * the files on disk they will replace.
 */
export const searchFiles: ToolHandler<SearchFilesInput> = async (input, ctx) => {
  const req = await searchRequest(input, ctx);
  const results = new SearchResults(req, ctx.limits.maxResultChars);
  const worker: WorkerSearch = {
    deadlineAt: Date.now() + (ctx.limits.searchTimeoutMs ?? DEFAULT_TIMEOUT_MS),
    fileTimeoutMs: ctx.limits.searchFileTimeoutMs ?? DEFAULT_FILE_TIMEOUT_MS,
    signal: ctx.signal,
  };
  const pending = pendingInScope(req, ctx);
  const isPending = (rel: string) => {
    if (pending.has(rel)) return true;
    const text = ctx.changes.pendingContent(rel);
    if (text !== undefined) pending.set(rel, text);
    return text !== undefined;
  };
  const tracked = req.isFile ? [] : trackedInScope(req, await trackedButSkipped(ctx.workspaceRoot), isPending);
  if (tracked.length > MAX_TRACKED_EXTRAS) {
    results.note(`${tracked.length - MAX_TRACKED_EXTRAS} tracked files matching .gitignore or inside node_modules were not searched; search their folder by path.`);
    tracked.length = MAX_TRACKED_EXTRAS;
  }
  const walk = () => filesToSearch(req, { root: ctx.workspaceRoot, tracked, skip: isPending });

  const rg = await findRipgrep(ctx.ripgrepPath);
  if (rg) {
    try {
      const run = { cwd: ctx.workspaceRoot, skip: isPending, deadlineAt: worker.deadlineAt, signal: ctx.signal };
      await runRipgrep(rg, req, tracked, results, run);
    } catch (err) {
      if (!(err instanceof PatternNotSupported)) throw err;
      results.note('ripgrep cannot run this pattern, so the slower JavaScript search was used.');
      await searchInWorker(walk(), req, results, worker);
    }
  } else {
    await searchInWorker(walk(), req, results, worker);
  }
  if (pending.size > 0 && !results.stopped) {
    await searchInWorker(itemsOf([...pending].map(([rel, text]) => ({ rel, text }))), req, results, worker);
  }
  return results.render();
};

/** The agent's pending files under the searched path that pass the glob and type. */
function pendingInScope(req: SearchRequest, ctx: ToolContext): Map<string, string> {
  const pending = new Map<string, string>();
  const accepts = knownFilter(req);
  for (const rel of ctx.pendingPaths?.() ?? []) {
    const text = ctx.changes.pendingContent(rel);
    if (text !== undefined && inScope(req, rel) && (req.isFile || accepts(rel))) pending.set(rel, text);
  }
  return pending;
}

/** Tracked files the walk skips, under the searched path, passing the glob and type, not pending. */
function trackedInScope(req: SearchRequest, tracked: string[], isPending: (rel: string) => boolean): string[] {
  const accepts = knownFilter(req);
  return tracked.filter((rel) => inScope(req, rel) && accepts(rel) && !isPending(rel));
}

/** The glob and type filter; nothing passes a type only ripgrep knows (ripgrep filters what it walks itself). */
function knownFilter(req: SearchRequest): (rel: string) => boolean {
  try {
    return fileFilter(req.glob, req.type);
  } catch {
    return () => false;
  }
}

async function* itemsOf(items: SearchItem[]): AsyncGenerator<SearchItem> {
  yield* items;
}
