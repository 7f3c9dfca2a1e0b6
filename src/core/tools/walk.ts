import fs from 'node:fs';
import path from 'node:path';

/** Directories no tool lists or searches, at any depth (node_modules only unless asked for by path). */
export const SKIPPED_DIRS = new Set(['.git', 'node_modules', '.munero']);

/** Directories never searched or listed, even when asked for by path. */
export const FORBIDDEN_DIRS = new Set(['.git', '.munero']);

/** How much of a file is sniffed for NUL bytes to call it binary (git does the same). */
const SNIFF_BYTES = 8000;

export function looksBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, SNIFF_BYTES).includes(0);
}

/** Reads the first bytes of a file to tell whether it is binary. */
export async function fileLooksBinary(abs: string): Promise<boolean> {
  const handle = await fs.promises.open(abs, 'r');
  try {
    const buf = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buf, 0, SNIFF_BYTES, 0);
    return looksBinary(buf.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

export interface WalkEntry {
  /** Workspace-relative, forward slashes. */
  rel: string;
  abs: string;
  kind: 'dir' | 'file' | 'other';
}

/** Joins a workspace-relative directory and a name. */
export function joinRel(relDir: string, name: string): string {
  return relDir === '.' ? name : `${relDir}/${name}`;
}

/**
 * A directory's entries as they are read (unsorted), streamed so a huge folder costs memory only
 * for what the caller keeps. Unreadable directories read as empty. Links are reported as
 * 'other', never followed: they may point outside the workspace or loop.
 */
export async function* readDirEntries(absDir: string, relDir: string): AsyncGenerator<WalkEntry> {
  let dir: fs.Dir;
  try {
    dir = await fs.promises.opendir(absDir, { bufferSize: 256 });
  } catch {
    return;
  }
  try {
    for await (const d of dir) {
      const kind = d.isDirectory() ? 'dir' : d.isFile() ? 'file' : 'other';
      yield { rel: joinRel(relDir, d.name), abs: path.join(absDir, d.name), kind };
    }
  } catch {
    // A directory removed while being read: what was read stands.
  } finally {
    // Closing early (the caller stopped) is what keeps a 200k-entry folder cheap.
    await dir.close().catch(() => undefined);
  }
}

/** The last segment of a workspace-relative path. */
export function baseName(rel: string): string {
  return rel.slice(rel.lastIndexOf('/') + 1);
}

/** Whether any segment of a workspace-relative path names a directory in `names`. */
export function hasSegmentIn(rel: string, names: Set<string>): boolean {
  return rel.split('/').some((segment) => names.has(segment));
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Orders paths segment by segment, so a directory's entries follow it. */
export function comparePaths(a: string, b: string): number {
  const as = a.split('/');
  const bs = b.split('/');
  for (let i = 0; i < Math.min(as.length, bs.length); i++) {
    const c = compareStrings(as[i]!, bs[i]!);
    if (c !== 0) return c;
  }
  return as.length - bs.length;
}
