import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const GIT_TIMEOUT_MS = 5_000;
const MAX_OUTPUT_BYTES = 16 * 1024 * 1024;

interface Known {
  indexMtimeMs: number;
  files: string[];
}

/** Per workspace, the answer for the git index it was computed from. */
const known = new Map<string, Known>();

/**
 * Files git tracks that a search would otherwise skip: those matching .gitignore and those under
 * a node_modules folder (committed fixtures). Searched anyway, since a tracked file is part of the
 * project. Empty when the workspace is not a git repository or git is missing. Recomputed only
 * when the git index changes.
 */
export async function trackedButSkipped(root: string): Promise<string[]> {
  return plainFilesInside(root, await trackedList(root));
}

async function trackedList(root: string): Promise<string[]> {
  const index = await fs.promises.stat(path.join(root, '.git', 'index')).catch(() => undefined);
  if (!index) return [];
  const cached = known.get(root);
  if (cached && cached.indexMtimeMs === index.mtimeMs) return cached.files;
  const [ignored, underNodeModules] = await Promise.all([
    gitLsFiles(root, ['--cached', '--ignored', '--exclude-standard']),
    gitLsFiles(root, ['--cached', '--', ':(glob)**/node_modules/**']),
  ]);
  const files = [...new Set([...ignored, ...underNodeModules])];
  known.set(root, { indexMtimeMs: index.mtimeMs, files });
  return files;
}

/**
 * ripgrep follows a link named on its command line, so a committed link (`cache/creds ->
 * ~/.aws/credentials`) would be read. Only regular files whose folder really lies inside the
 * workspace are passed on; checked at each search, since links can appear after the index.
 */
async function plainFilesInside(root: string, files: string[]): Promise<string[]> {
  const realRoot = await fs.promises.realpath(root);
  const folderInside = new Map<string, Promise<boolean>>();
  const inside = (dir: string) => {
    let known = folderInside.get(dir);
    if (!known) {
      known = fs.promises.realpath(path.join(root, dir)).then(
        (real) => real === realRoot || real.startsWith(realRoot + path.sep),
        () => false,
      );
      folderInside.set(dir, known);
    }
    return known;
  };
  const keep = await Promise.all(
    files.map(async (rel) => {
      const stat = await fs.promises.lstat(path.join(root, rel)).catch(() => undefined);
      return stat?.isFile() === true && (await inside(path.dirname(rel)));
    }),
  );
  return files.filter((_, i) => keep[i]);
}

function gitLsFiles(root: string, args: string[]): Promise<string[]> {
  return new Promise((resolve) => {
    // No environment (no key, no user hooks); fsmonitor off, since a repository's config could name a program.
    const gitArgs = ['-c', 'core.fsmonitor=false', '-c', 'core.quotepath=off', 'ls-files', '-z', ...args];
    execFile('git', gitArgs, { cwd: root, timeout: GIT_TIMEOUT_MS, maxBuffer: MAX_OUTPUT_BYTES, env: { PATH: process.env.PATH ?? '' } }, (err, stdout) => {
      resolve(err ? [] : stdout.split('\0').filter(Boolean));
    });
  });
}
