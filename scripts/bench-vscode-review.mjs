#!/usr/bin/env node
// `npm run bench:vscode-review`: the inline review's figures in the real VS Code extension host
// (code-server, through test/vscode/run.mjs and test/vscode/suite/reviewBench.test.ts), printed and
// written to the "## Inline review in VS Code (issue 8)" section of docs/benchmarks.md.
// A benchmark, not a test: it exits non-zero only when it could measure nothing.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../test/vscode/harness.mjs';
import { writeSection } from './benchmarksPage.mjs';

const HEADING = '## Inline review in VS Code (issue 8)';
const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'munero-bench-review-')), 'figures.json');
const run = spawnSync(process.execPath, ['test/vscode/run.mjs', '--grep', 'review benchmark'], {
  cwd: repoRoot,
  stdio: 'inherit',
  env: { ...process.env, MUNERO_REVIEW_BENCH: out },
});
if (!fs.existsSync(out)) {
  console.error(`[bench:vscode-review] no figures (test/vscode/run.mjs exited ${run.status ?? run.signal})`);
  process.exit(1);
}
const f = JSON.parse(fs.readFileSync(out, 'utf8'));
const ms = (s) => `${s.median.toFixed(1)} ms | ${s.p95.toFixed(1)} ms`;
const section = `${HEADING}

\`npm run bench:vscode-review\`, ${new Date().toISOString().slice(0, 10)}, code-server ${'4.100.3'} (VS Code 1.100.3) in headless Chromium, ${os.cpus().length} cores (${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}), Node ${process.versions.node}. One ${f.lines.toLocaleString('en-US')}-line file open in an editor; one-line hunks spread evenly through it. Measured in the extension host (test/vscode/suite/reviewBench.test.ts).

| figure | median | p95 |
| --- | ---: | ---: |
| proposal → decorations set on the visible editor, 1 hunk (n=${f.proposal1.painted.n}) | ${ms(f.proposal1.painted)} |
| proposal → decorations set and CodeLens answered to the workbench, 1 hunk | ${ms(f.proposal1.lensed)} |
| proposal → decorations set, 200 hunks | ${ms(f.proposal200.painted)} |
| proposal → decorations set and CodeLens answered to the workbench, 200 hunks | ${ms(f.proposal200.lensed)} |
| keystroke round trip (an edit sent to the editor and applied), 200 hunks awaiting review (n=${f.keystroke200.n}) | ${ms(f.keystroke200)} |
| keystroke round trip, nothing awaiting review (baseline) | ${ms(f.keystroke0)} |

"Proposal" starts when the core announces the review changed (\`review.changed\`) and the extension
re-reads the snapshot; decorations are then set synchronously for every visible editor of the file.
The CodeLens figure adds the workbench asking for the lenses again (\`vscode.executeCodeLensProvider\`,
a round trip through the renderer). The keystroke figure is an edit's round trip from the extension
host to the editor model and back while the file carries 200 painted hunks and their lenses, against
the same file with none; it is what a user's typing costs the extension host, not a pixel paint.
`;
console.log(`\n${section}`);
writeSection(path.join(repoRoot, 'docs', 'benchmarks.md'), HEADING, section);
