import fs from 'node:fs';
import path from 'node:path';
import { protectedFolderIn } from '../changes/protectedFolders';

/** A path an agent gave that points outside the workspace or somewhere it may not go. */
export class PathError extends Error {
  constructor(
    readonly userPath: string,
    reason: string,
  ) {
    super(`Path "${userPath}" refused: ${reason}`);
    this.name = 'PathError';
  }
}

const caseInsensitiveFs = process.platform === 'win32' || process.platform === 'darwin';

/**
 * Confines a path an agent gave to the workspace. `abs` is the absolute path to use, `rel` the
 * workspace-relative path with forward slashes (`.` for the root itself). Throws PathError.
 */
export function resolveInWorkspace(root: string, userPath: string): { abs: string; rel: string } {
  if (typeof userPath !== 'string') throw new PathError(String(userPath), 'not a string');
  if (userPath.includes('\0')) throw new PathError(userPath.replace(/\0/g, '\\0'), 'contains a NUL byte');
  if (path.posix.isAbsolute(userPath) || path.win32.isAbsolute(userPath) || /^[a-zA-Z]:/.test(userPath)) {
    throw new PathError(userPath, 'absolute paths are not allowed; use a path relative to the workspace root');
  }
  // Backslashes are separators on Windows; treat them so everywhere so a path means one thing.
  const rel = path.posix.normalize(userPath.replace(/\\/g, '/') || '.').replace(/\/+$/, '') || '.';
  if (rel === '..' || rel.startsWith('../')) {
    throw new PathError(userPath, 'it leads outside the workspace');
  }
  const abs = rel === '.' ? path.resolve(root) : path.resolve(root, ...rel.split('/'));
  if (!isInside(path.resolve(root), abs)) throw new PathError(userPath, 'it leads outside the workspace');

  const realRoot = realpathOrThrow(root, userPath);
  if (!isInside(realRoot, realTarget(abs, userPath))) {
    throw new PathError(userPath, 'it leads outside the workspace through a symbolic link');
  }
  return { abs, rel };
}

/** Throws PathError when `rel` (from resolveInWorkspace) must not be written by an agent. */
export function assertWritable(rel: string): void {
  if (rel === '.' || rel === '') throw new PathError(rel, 'that is the workspace root, not a file');
  const folder = protectedFolderIn(rel.split('/'));
  if (folder) throw new PathError(rel, `files inside ${folder.name}/ (${folder.why}) cannot be written`);
}

function isInside(root: string, target: string): boolean {
  const a = caseInsensitiveFs ? root.toLowerCase() : root;
  const b = caseInsensitiveFs ? target.toLowerCase() : target;
  const relative = path.relative(a, b);
  return relative === '' || (relative !== '..' && !relative.startsWith('..' + path.sep) && !path.isAbsolute(relative));
}

/**
 * The real path `abs` designates: the real path of its deepest existing ancestor plus the rest,
 * which does not exist yet and so cannot contain a link.
 */
function realTarget(abs: string, userPath: string): string {
  const rest: string[] = [];
  let current = abs;
  for (;;) {
    try {
      return path.join(fs.realpathSync(current), ...rest.reverse());
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') {
        throw new PathError(userPath, `it cannot be resolved (${code ?? String(err)})`);
      }
      // A link whose target is missing: writing through it would create that target, wherever it is.
      if (code === 'ENOENT' && isSymlink(current)) {
        throw new PathError(userPath, 'it goes through a symbolic link whose target does not exist');
      }
    }
    const parent = path.dirname(current);
    if (parent === current) throw new PathError(userPath, 'no part of it exists');
    rest.push(path.basename(current));
    current = parent;
  }
}

function isSymlink(p: string): boolean {
  try {
    return fs.lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

function realpathOrThrow(root: string, userPath: string): string {
  try {
    return fs.realpathSync(root);
  } catch (err) {
    throw new PathError(userPath, `the workspace root ${root} cannot be resolved (${(err as Error).message})`);
  }
}
