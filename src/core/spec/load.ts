import { readFile, stat } from 'node:fs/promises';
import { basename, extname, relative } from 'node:path';
import { SpecError } from './errors';
import { specFolderFiles } from './folder';
import { formatIssue, readSpecText } from './parse';
import { parseTasksFile } from './tasksFile';
import type { Spec, SpecIssue } from './types';

export const DEFAULT_MAX_SPEC_BYTES = 1024 * 1024;

const REASONS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory',
  ENOTDIR: 'a parent of it is not a directory',
  ELOOP: 'too many symbolic links',
};

export interface LoadOptions {
  maxBytes?: number;
  /** Report problems (bad front matter, repeated ids, nothing to build) as issues instead of throwing. */
  lenient?: boolean;
}

/**
 * Reads and parses a spec file or spec folder (Kiro, spec-kit, OpenSpec; see folder.ts); every
 * failure is a SpecError. A folder's `tasks.md` becomes `spec.tasks`.
 */
export async function loadSpec(path: string, opts: LoadOptions = {}): Promise<Spec> {
  const info = await stat(path).catch((err: unknown) => {
    throw unreadable(path, reason(err));
  });
  if (!info.isDirectory()) return loadFile(path, opts);
  const folder = await specFolderFiles(path);
  if (!folder) {
    throw unreadable(path, 'it is a directory without a requirements.md, spec.md or specs/<capability>/spec.md (the Kiro, spec-kit and OpenSpec layouts)');
  }
  const [first, ...more] = await Promise.all(folder.specFiles.map((f) => loadFile(f, opts)));
  const spec = first!;
  for (const other of more) mergeInto(spec, other);
  // A change folder's delta files have no H1; the folder names the change.
  if (spec.title === basename(spec.path, extname(spec.path))) spec.title = basename(path);
  if (folder.tasks) {
    const text = decode(await readBytes(folder.tasks, opts.maxBytes ?? DEFAULT_MAX_SPEC_BYTES), folder.tasks, spec.issues);
    const items = parseTasksFile(text, spec.requirements);
    spec.tasks = { path: folder.tasks, items };
    for (const t of items.filter((t) => t.unresolved.length)) {
      const known = spec.requirements.map((r) => r.id).join(', ');
      spec.issues.push({ severity: 'warning', code: 'unknown_reference', path: folder.tasks, line: t.line, message: `task ${t.id} names ${t.unresolved.map((u) => `"${u}"`).join(', ')}, which is no requirement or criterion of ${relative(path, spec.path) || spec.path} (known: ${known}).` });
    }
  }
  spec.warnings = spec.issues.filter((i) => i.severity === 'warning').map(formatIssue);
  return spec;
}

async function loadFile(path: string, opts: LoadOptions): Promise<Spec> {
  const issues: SpecIssue[] = [];
  const text = decode(await readBytes(path, opts.maxBytes ?? DEFAULT_MAX_SPEC_BYTES), path, issues);
  const spec = readSpecText(text, path, !opts.lenient);
  if (!opts.lenient) {
    const duplicate = spec.issues.find((i) => i.code === 'duplicate_id');
    if (duplicate) throw new SpecError('duplicate_id', path, duplicate.message, duplicate.line);
  }
  spec.issues.unshift(...issues);
  spec.warnings = spec.issues.filter((i) => i.severity === 'warning').map(formatIssue);
  return spec;
}

/** A change touching several capabilities: one spec, each requirement naming the file it came from. */
function mergeInto(spec: Spec, other: Spec): void {
  const file = other.path;
  spec.requirements.push(...other.requirements.map((r) => ({ ...r, file })));
  spec.successCriteria.push(...other.successCriteria.map((n) => ({ ...n, file })));
  spec.openQuestions.push(...other.openQuestions.map((n) => ({ ...n, file })));
  spec.clarifications.push(...other.clarifications.map((n) => ({ ...n, file })));
  spec.deltas.push(...other.deltas.map((d) => ({ ...d, file })));
  spec.issues.push(...other.issues);
}

async function readBytes(path: string, maxBytes: number): Promise<Buffer> {
  let bytes: Buffer;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw unreadable(path, 'it is a directory');
    // FIFOs and devices could block or never end.
    if (!info.isFile()) throw unreadable(path, 'it is not a regular file');
    if (info.size > maxBytes) throw tooLarge(path, info.size, maxBytes);
    bytes = await readFile(path);
  } catch (err) {
    if (err instanceof SpecError) throw err;
    throw unreadable(path, reason(err));
  }
  // The file may have grown between stat and read.
  if (bytes.length > maxBytes) throw tooLarge(path, bytes.length, maxBytes);
  if (bytes.length === 0) {
    throw new SpecError('empty', path, 'the file is empty (0 bytes). Write at least one requirement, e.g. `- R1: The CLI prints its version`.');
  }
  return bytes;
}

/** UTF-8 text; bytes that are not UTF-8 become U+FFFD with a warning naming the first line, rather than refusing the file. */
function decode(bytes: Buffer, path: string, issues: SpecIssue[]): string {
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    throw new SpecError('binary', path, 'contains a NUL byte, so it is not a text file. Point Munero at a markdown (.md) spec.', lineAt(bytes, nul));
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const text = new TextDecoder('utf-8').decode(bytes);
    const lines = text.split('\n');
    const bad = lines.flatMap((l, i) => (l.includes('\uFFFD') ? [i + 1] : []));
    issues.push({
      severity: 'warning',
      code: 'not_utf8',
      path,
      line: bad[0],
      message: `bytes that are not UTF-8 on line${bad.length > 1 ? 's' : ''} ${bad.slice(0, 5).join(', ')}${bad.length > 5 ? ', …' : ''} were read as "\uFFFD". Save the file as UTF-8.`,
    });
    return text;
  }
}

function unreadable(path: string, why: string): SpecError {
  return new SpecError('unreadable', path, `cannot read the spec: ${why}. Check the path and that the file is readable.`);
}

function tooLarge(path: string, size: number, limit: number): SpecError {
  return new SpecError(
    'too_large',
    path,
    `the spec is ${size} bytes, over the ${limit}-byte limit. Split it into smaller specs or raise the limit.`,
  );
}

function reason(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const known = e?.code ? REASONS[e.code] : undefined;
  if (known) return `${known} (${e.code})`;
  return e?.message ?? String(err);
}

function lineAt(bytes: Buffer, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (bytes[i] === 10) line++;
  return line;
}
