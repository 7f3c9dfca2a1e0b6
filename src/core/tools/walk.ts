import fs from 'node:fs';
import path from 'node:path';

/** Directories no tool lists or searches, at any depth. */
export const SKIPPED_DIRS = new Set(['.git', 'node_modules', '.munero']);

/** How much of a file is sniffed for NUL bytes to call it binary (git does the same). */
const SNIFF_BYTES = 8000;

export function looksBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, SNIFF_BYTES).includes(0);
}

/** Reads the first bytes of a file to tell whether it is binary. */
export function fileLooksBinary(abs: string): boolean {
  const fd = fs.openSync(abs, 'r');
  try {
    const buf = Buffer.alloc(SNIFF_BYTES);
    const n = fs.readSync(fd, buf, 0, SNIFF_BYTES, 0);
    return looksBinary(buf.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
}

export interface WalkEntry {
  /** Workspace-relative, forward slashes. */
  rel: string;
  abs: string;
  kind: 'dir' | 'file' | 'other';
}

/** Directory entries sorted by name; unreadable directories read as empty. */
export function readDirSorted(absDir: string, relDir: string): WalkEntry[] {
  let dirents: fs.Dirent[];
  try {
    dirents = fs.readdirSync(absDir, { withFileTypes: true });
  } catch {
    return [];
  }
  return dirents
    .filter((d) => !(d.isDirectory() && SKIPPED_DIRS.has(d.name)))
    .sort((a, b) => compareStrings(a.name, b.name))
    .map((d) => ({
      rel: relDir === '.' ? d.name : `${relDir}/${d.name}`,
      abs: path.join(absDir, d.name),
      // Links are never followed: they may point outside the workspace or loop.
      kind: d.isDirectory() ? 'dir' : d.isFile() ? 'file' : 'other',
    }));
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
