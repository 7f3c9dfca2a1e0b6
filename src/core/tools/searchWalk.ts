import { fileFilter } from './fileFilter';
import { IgnoreRules } from './ignoreRules';
import type { SearchRequest } from './searchRequest';
import type { SearchItem } from './searchWorker';
import { baseName, readDirEntries, SKIPPED_DIRS, type WalkEntry } from './walk';

export interface WalkOptions {
  root: string;
  /** Tracked files to search even where .gitignore or a node_modules folder would skip them. */
  tracked: string[];
  /** Files whose content is searched from elsewhere (the agent's pending changes). */
  skip: (rel: string) => boolean;
}

/**
 * The files a search covers, as ripgrep would choose them: .gitignore honoured, dot-files
 * included, .git, .munero and node_modules skipped, links not followed. Streamed, depth-first.
 */
export async function* filesToSearch(req: SearchRequest, opts: WalkOptions): AsyncGenerator<SearchItem> {
  const accepts = fileFilter(req.glob, req.type);
  if (req.isFile) {
    if (!opts.skip(req.rel)) yield { rel: req.rel, abs: req.abs };
    return;
  }
  const trackedFiles = new Set(opts.tracked);
  const trackedDirs = new Set(opts.tracked.flatMap(ancestors));
  const skippedDirs = req.insideNodeModules ? new Set(['.git', '.munero']) : SKIPPED_DIRS;
  // Inside a folder entered only for its tracked files, nothing else is searched.
  const stack: Array<{ dir: WalkEntry; rules: IgnoreRules; onlyTracked: boolean }> = [
    { dir: { rel: req.rel, abs: req.abs, kind: 'dir' }, rules: await IgnoreRules.forDirectory(opts.root, req.rel), onlyTracked: false },
  ];
  while (stack.length > 0) {
    const { dir, rules, onlyTracked } = stack.pop()!;
    for await (const entry of readDirEntries(dir.abs, dir.rel)) {
      if (entry.kind === 'other') continue;
      const isDir = entry.kind === 'dir';
      const tracked = isDir ? trackedDirs.has(entry.rel) : trackedFiles.has(entry.rel);
      const skipped = onlyTracked || (isDir && skippedDirs.has(baseName(entry.rel))) || rules.ignores(entry.rel, isDir);
      if (skipped && !tracked) continue;
      if (isDir) stack.push({ dir: entry, rules: await rules.enter(entry.abs, entry.rel), onlyTracked: skipped });
      else if (accepts(entry.rel) && !opts.skip(entry.rel)) yield { rel: entry.rel, abs: entry.abs };
    }
  }
}

/** `a/b/c.txt` → `a`, `a/b`. */
function ancestors(rel: string): string[] {
  const parts = rel.split('/');
  return parts.slice(1).map((_, i) => parts.slice(0, i + 1).join('/'));
}
