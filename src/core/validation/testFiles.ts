import fs from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';

/** Folders that hold no test a build is judged by: dependencies, build output, state. */
const SKIPPED = new Set(['.git', '.munero', 'node_modules', 'dist', 'build', 'out', 'coverage', 'vendor', 'target', '.venv', 'venv', '__pycache__', '.next', '.turbo']);

/** Beyond this many test files the rest are not recorded (the report says so). */
export const MAX_TEST_FILES = 5000;
/** Larger files are fixtures or generated, not tests a person wrote. */
export const MAX_TEST_FILE_BYTES = 1024 * 1024;

const SOURCE = /\.(?:[cm]?[jt]sx?|py|go|rb|rs|java|kt|cs|php|swift)$/;

/**
 * Common test layouts: `*.test.*`, `*.spec.*`, anything under `test/`, `tests/`, `__tests__/`,
 * `spec/`, `*_test.go`, `test_*.py`, `*_test.py` and `*_spec.rb`. Paths are workspace-relative
 * with forward slashes.
 */
export function isTestFile(rel: string): boolean {
  if (!SOURCE.test(rel)) return false;
  const base = rel.slice(rel.lastIndexOf('/') + 1);
  if (/\.(?:test|spec)\.[a-z]+$/.test(base)) return true;
  if (/_test\.go$/.test(base) || /^test_.*\.py$/.test(base) || /_test\.py$/.test(base) || /_spec\.rb$/.test(base)) return true;
  return /(^|\/)(test|tests|__tests__|spec)\//.test(rel);
}

/** Test files in the workspace, sorted; `.gitignore` at the root is honoured. */
export function findTestFiles(workspaceRoot: string, max = MAX_TEST_FILES): { files: string[]; capped: boolean } {
  const ignored = rootIgnore(workspaceRoot);
  const files: string[] = [];
  const stack = ['.'];
  while (stack.length) {
    const relDir = stack.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(workspaceRoot, relDir), { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      const rel = relDir === '.' ? e.name : `${relDir}/${e.name}`;
      // Links are not followed: they may point outside the workspace or loop.
      if (e.isDirectory()) {
        if (!SKIPPED.has(e.name) && !ignored.ignores(`${rel}/`)) stack.push(rel);
      } else if (e.isFile() && isTestFile(rel) && !ignored.ignores(rel)) {
        if (files.length >= max) return { files: files.sort(), capped: true };
        files.push(rel);
      }
    }
  }
  return { files: files.sort(), capped: false };
}

function rootIgnore(workspaceRoot: string): Ignore {
  const ig = ignore();
  try {
    ig.add(fs.readFileSync(path.join(workspaceRoot, '.gitignore'), 'utf8'));
  } catch {
    // No .gitignore: nothing more is skipped.
  }
  return ig;
}
