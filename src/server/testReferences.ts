import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Location } from 'vscode-languageserver';
import { namesRequirement } from '../core/validation/passingTests';
import { findTestFiles } from '../core/validation/testFiles';

const MAX_FILE_BYTES = 512 * 1024;
const MAX_LOCATIONS = 500;

/** Find references: every line of the workspace's test files that names requirement `id` (bounded). */
export function testsNaming(id: string, workspaceRoot: string): Location[] {
  const locations: Location[] = [];
  for (const rel of findTestFiles(workspaceRoot).files) {
    const file = path.join(workspaceRoot, rel);
    let text: string;
    try {
      if (fs.lstatSync(file).size > MAX_FILE_BYTES) continue;
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    if (!text.includes(id)) continue;
    const lines = text.split(/\r?\n/);
    for (let i = 0; i < lines.length && locations.length < MAX_LOCATIONS; i++) {
      if (!namesRequirement(lines[i]!, id)) continue;
      const at = lines[i]!.indexOf(id);
      locations.push({ uri: pathToFileURL(file).href, range: { start: { line: i, character: at }, end: { line: i, character: at + id.length } } });
    }
  }
  return locations;
}
