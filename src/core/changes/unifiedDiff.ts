import { FILE_HEADERS_ONLY, formatPatch, structuredPatch } from 'diff';

/** One file's two versions; null when the file is absent on that side. */
export interface FileVersions {
  path: string;
  before: Buffer | null;
  after: Buffer | null;
  /** Permission bits of the file where it exists (for git's `new file mode`). */
  mode?: number;
}

/** Git's test: a NUL byte in the first 8000 bytes, or bytes that are not UTF-8. */
export function isBinary(bytes: Buffer | null): boolean {
  if (!bytes) return false;
  if (bytes.subarray(0, 8000).includes(0)) return true;
  return !Buffer.from(bytes.toString('utf8'), 'utf8').equals(bytes);
}

/**
 * A git-style unified diff of files (`diff --git`, `--- a/path`, `+++ b/path`, `/dev/null` for a
 * created or deleted file); a binary file is named, never dumped. Unchanged files are left out.
 */
export function unifiedDiff(files: FileVersions[], context = 3): string {
  return files
    .filter((f) => !sameBytes(f.before, f.after))
    .sort((a, b) => a.path.localeCompare(b.path))
    .map((f) => fileDiff(f, context))
    .join('');
}

function fileDiff({ path, before, after, mode }: FileVersions, context: number): string {
  const oldName = before ? `a/${path}` : '/dev/null';
  const newName = after ? `b/${path}` : '/dev/null';
  const header = [`diff --git a/${path} b/${path}`, ...(before ? [] : [`new file mode ${gitMode(mode)}`]), ...(after ? [] : [`deleted file mode ${gitMode(mode)}`])].join('\n') + '\n';
  if (isBinary(before) || isBinary(after)) return `${header}Binary files ${oldName} and ${newName} differ\n`;
  const patch = structuredPatch(oldName, newName, before?.toString('utf8') ?? '', after?.toString('utf8') ?? '', undefined, undefined, { context });
  return header + formatPatch(patch, FILE_HEADERS_ONLY);
}

function sameBytes(a: Buffer | null, b: Buffer | null): boolean {
  return a === null || b === null ? a === b : a.equals(b);
}

function gitMode(mode = 0o644): string {
  return mode & 0o111 ? '100755' : '100644';
}
