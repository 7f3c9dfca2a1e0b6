import fs from 'node:fs';
import path from 'node:path';
import { findNestedRepositories, type NestedRepository } from '../changes/nestedRepositories';

/**
 * Git repositories a sandboxed command creates are taken away when it ends: their config can name
 * programs (core.fsmonitor, filters, hooks) that the user's git or VS Code would run later,
 * outside the sandbox, just by looking at the folder.
 *
 *   const before = existingRepositories(root);
 *   … run the command …
 *   const note = removePlantedRepositories(root, before);
 */
export function existingRepositories(root: string): Set<string> {
  return new Set(findNestedRepositories(root).found.map(key));
}

/** Removes each repository that was not in `before`; returns a note for the command's output, or ''. */
export function removePlantedRepositories(root: string, before: Set<string>): string {
  const realRoot = fs.realpathSync(root);
  const removed: string[] = [];
  for (const repository of findNestedRepositories(realRoot).found) {
    if (before.has(key(repository))) continue;
    if (remove(realRoot, repository)) removed.push(repository.kind === 'bare' ? `${repository.path}/ (a bare repository: its HEAD and config)` : repository.path);
  }
  if (!removed.length) return '';
  return `\n[Munero removed the git repository metadata this command created: ${removed.join(', ')}. Commands may not create version-control metadata; git would run programs its config names outside the sandbox.]`;
}

/** A dotgit's `.git` goes whole; a bare layout loses what makes git use it, not the folder's other files. */
function remove(realRoot: string, repository: NestedRepository): boolean {
  const folder = repository.kind === 'bare' ? repository.path : path.posix.dirname(repository.path);
  const abs = path.join(realRoot, folder);
  // Reached through a link made meanwhile? Then it is not the folder the scan saw: leave it.
  if (realpathOrUndefined(abs) !== path.resolve(abs)) return false;
  const targets = repository.kind === 'bare' ? ['HEAD', 'config'].map((name) => path.join(abs, name)) : [path.join(realRoot, repository.path)];
  for (const target of targets) fs.rmSync(target, { recursive: true, force: true });
  return true;
}

function key(repository: NestedRepository): string {
  return `${repository.kind}:${repository.path}`;
}

function realpathOrUndefined(p: string): string | undefined {
  try {
    return fs.realpathSync(p);
  } catch {
    return undefined;
  }
}
