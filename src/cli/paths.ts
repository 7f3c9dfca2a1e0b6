import fs from 'node:fs';
import path from 'node:path';
import { BuildInputError } from '../core';

/** The folder --workspace names (default: the current one). One that is not there is an error, not an empty workspace. */
export function workspaceFolder(flag: string | undefined): string {
  const root = path.resolve(flag ?? '.');
  const stat = fs.statSync(root, { throwIfNoEntry: false });
  if (!stat) {
    throw new BuildInputError(`--workspace ${flag}: there is no folder ${root}. Give the project's folder, or leave --workspace out to use the current folder.`);
  }
  if (!stat.isDirectory()) {
    throw new BuildInputError(`--workspace ${flag}: ${root} is a file, not a folder. Give the project's folder, e.g. --workspace ${path.dirname(root)}.`);
  }
  return root;
}

/**
 * Where a spec argument points. A relative path is read from the current folder when it is there,
 * else from the workspace, so both `munero build specs/x.md` typed with tab completion and
 * `munero build SPEC.md --workspace proj` (proj/SPEC.md) find their file.
 */
export function specLocation(arg: string, workspaceRoot: string): string {
  if (path.isAbsolute(arg)) return arg;
  const candidates = [...new Set([path.resolve(arg), path.resolve(workspaceRoot, arg)])];
  const found = candidates.find((c) => fs.existsSync(c));
  if (found) return found;
  const looked = candidates.length === 1 ? candidates[0] : `${candidates[0]} (from the current folder) and ${candidates[1]} (from --workspace)`;
  throw new BuildInputError(`the spec ${arg} is not there: looked for ${looked}. Check the name, or give the spec's path from the current folder.`);
}
