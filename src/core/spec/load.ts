import { readFile, stat } from 'node:fs/promises';
import { SpecError } from './errors';
import { parseSpec } from './parse';
import type { Spec } from './types';

export const DEFAULT_MAX_SPEC_BYTES = 1024 * 1024;

const REASONS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory',
  ENOTDIR: 'a parent of it is not a directory',
  ELOOP: 'too many symbolic links',
};

/** Reads and parses a spec file; every failure is a SpecError. */
export async function loadSpec(path: string, opts: { maxBytes?: number } = {}): Promise<Spec> {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_SPEC_BYTES;
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
  return parseSpec(decode(bytes, path), path);
}

function decode(bytes: Buffer, path: string): string {
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    throw new SpecError('binary', path, 'contains a NUL byte, so it is not a text file. Point Munero at a markdown (.md) spec.', lineAt(bytes, nul));
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const lenient = new TextDecoder('utf-8').decode(bytes);
    const bad = lenient.indexOf('\uFFFD');
    const line = bad >= 0 ? lenient.slice(0, bad).split('\n').length : undefined;
    throw new SpecError('binary', path, 'is not valid UTF-8 text. Save the spec as UTF-8.', line);
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
