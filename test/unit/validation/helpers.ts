import fs, { readFileSync } from 'node:fs';
import os from 'node:os';
import path, { join } from 'node:path';

export function fixture(name: string): string {
  return readFileSync(join(__dirname, 'fixtures', name), 'utf8');
}

/** A temporary folder holding these files (paths relative to it). */
export function workspaceWith(files: Record<string, string>, prefix = 'munero-validation-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}
