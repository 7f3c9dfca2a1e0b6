import fs from 'node:fs';
import path from 'node:path';

export interface SpecEntry {
  /** Relative to the workspace, with forward slashes. */
  path: string;
  kind: 'file' | 'folder';
}

const SKIPPED_DIRS = new Set(['node_modules', '.git', '.munero', 'dist', 'out', '.vscode-test']);
const FOLDER_MARKERS = ['requirements.md', 'spec.md'];
const MAX_ENTRIES = 500;

/**
 * The specs in a workspace, by the extension's default `munero.specFiles` globs (`**\/*.spec.md`,
 * `**\/SPEC.md`, `**\/specs/**\/*.md`) plus spec folders (a folder holding a Kiro `requirements.md`
 * or a spec-kit `spec.md`), at most 500, in path order.
 */
export function listSpecs(workspaceRoot: string): SpecEntry[] {
  const found: SpecEntry[] = [];
  const walk = (rel: string) => {
    if (found.length >= MAX_ENTRIES) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(workspaceRoot, rel), { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    if (rel && entries.some((e) => e.isFile() && FOLDER_MARKERS.includes(e.name))) found.push({ path: rel, kind: 'folder' });
    for (const e of entries) {
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory() && !SKIPPED_DIRS.has(e.name)) walk(child);
      else if (e.isFile() && isSpecFile(child)) found.push({ path: child, kind: 'file' });
    }
  };
  walk('');
  return found.slice(0, MAX_ENTRIES);
}

function isSpecFile(rel: string): boolean {
  const name = rel.split('/').pop() ?? rel;
  if (name.endsWith('.spec.md') || name === 'SPEC.md') return true;
  return name.endsWith('.md') && rel.split('/').slice(0, -1).includes('specs');
}
