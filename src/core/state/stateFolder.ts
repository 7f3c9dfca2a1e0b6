import fs from 'node:fs';
import path from 'node:path';

/**
 * What is wrong with the workspace's `.munero` or `.git`, if anything: a symbolic link a
 * repository ships there would send Munero's state, and the protection of both, elsewhere
 * (`.munero -> docs-cache` makes an ordinary folder Munero's state; `.munero -> ~/x` writes outside).
 */
export function stateFolderProblem(workspaceRoot: string): string | undefined {
  for (const name of ['.munero', '.git']) {
    const at = path.join(workspaceRoot, name);
    const stat = fs.lstatSync(at, { throwIfNoEntry: false });
    if (stat?.isSymbolicLink()) {
      const fix = name === '.munero' ? 'Remove the link (Munero creates the folder itself)' : 'Replace the link with the repository folder itself, or a `.git` file holding `gitdir: <path>`';
      return `${at} is a symbolic link (to ${readLink(at)}); Munero keeps its state and protects version control only in real folders, so a link cannot redirect them. ${fix}, then start again.`;
    }
    if (name === '.munero' && stat && !stat.isDirectory()) return `${at} is not a folder; Munero keeps its build state there. Move that file away, then start again.`;
  }
  return undefined;
}

/** Throws (a plain Error with the problem) when the state folder is not safe to use. */
export function assertStateFolder(workspaceRoot: string): void {
  const problem = stateFolderProblem(workspaceRoot);
  if (problem) throw new Error(problem);
}

function readLink(at: string): string {
  try {
    return fs.readlinkSync(at);
  } catch {
    return 'somewhere';
  }
}
