import fs from 'node:fs';
import path from 'node:path';

/**
 * A git repository inside the workspace that git would use on its own: a folder holding a `.git`
 * (folder, file or link), or a bare layout (HEAD, objects/ and refs/ side by side). Git reads the
 * config of either, and that config can name programs to run (filters, fsmonitor, hooks).
 */
export interface NestedRepository {
  /** Workspace-relative, `/`-separated: the `.git` entry, or the bare repository's folder. */
  path: string;
  kind: 'dotgit' | 'bare';
}

export interface RepositoryScan {
  found: NestedRepository[];
  /** False when the depth, entry or time cap cut the scan short. */
  complete: boolean;
}

/** Never searched: dependencies are large and not the workspace's own; the others are guarded elsewhere. */
const SKIPPED_FOLDERS = new Set(['node_modules', '.munero']);
const MAX_DEPTH = 24;
const MAX_FOLDERS = 200_000;
const MAX_MILLIS = 3_000;

/**
 * Every nested repository under `root` (the root's own `.git` included), without following links.
 * Bounded in depth, folders and time; `complete` says whether the bound was reached.
 */
export function findNestedRepositories(root: string): RepositoryScan {
  const found: NestedRepository[] = [];
  const deadline = Date.now() + MAX_MILLIS;
  const pending: Array<{ rel: string; depth: number }> = [{ rel: '', depth: 0 }];
  let visited = 0;
  let complete = true;
  while (pending.length) {
    if (++visited > MAX_FOLDERS || Date.now() > deadline) {
      complete = false;
      break;
    }
    const { rel, depth } = pending.pop()!;
    const entries = readFolder(path.join(root, rel));
    if (rel && isBareLayout(entries)) found.push({ path: rel, kind: 'bare' });
    for (const entry of entries) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.name === '.git') {
        found.push({ path: child, kind: 'dotgit' });
        continue;
      }
      if (!entry.isDirectory() || SKIPPED_FOLDERS.has(entry.name)) continue;
      if (depth + 1 > MAX_DEPTH) complete = false;
      else pending.push({ rel: child, depth: depth + 1 });
    }
  }
  return { found, complete };
}

function isBareLayout(entries: fs.Dirent[]): boolean {
  const has = (name: string, folder: boolean) => entries.some((e) => e.name === name && (folder ? e.isDirectory() : !e.isDirectory()));
  return has('HEAD', false) && has('objects', true) && has('refs', true);
}

function readFolder(folder: string): fs.Dirent[] {
  try {
    return fs.readdirSync(folder, { withFileTypes: true });
  } catch {
    return []; // vanished or unreadable: nothing git could use either
  }
}
