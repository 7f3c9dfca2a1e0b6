// docs/benchmarks.md is one page with a `## ` section per benchmark script; each script
// replaces only its own section. Shared by scripts/bench.ts and scripts/bench-vscode.mjs.
import fs from 'node:fs';
import path from 'node:path';

const HEADER = '# Benchmarks\n\nFigures printed by the commands named in each section; rerun them to refresh.\n\n';

/** Replaces the section that starts with `heading` (or appends it), keeping the others. */
export function writeSection(file, heading, section) {
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : HEADER;
  // Every section ends with a blank line, the file's last one too (the file itself is trimmed).
  const parts = current.split(/(?=^## )/m).map((p) => `${p.trimEnd()}\n\n`);
  const index = parts.findIndex((p) => p.startsWith(heading));
  // A blank line after every section, whether or not the script ended its text with one.
  if (index >= 0) parts[index] = `${section.trimEnd()}\n\n`;
  else parts.push(`${section.trimEnd()}\n\n`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${parts.join('').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`);
}
