// Not a test: the figures of `npm run bench:vscode-review`, measured in the real extension host.
// Runs only when MUNERO_REVIEW_BENCH names the JSON file to write them to.
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { ReviewFile, ReviewSnapshot } from '../../../src/core';
import { ReviewCodeLens } from '../../../src/extension/review/reviewCodeLens';
import { ReviewDecorations } from '../../../src/extension/review/reviewDecorations';
import { ReviewModel } from '../../../src/extension/review/reviewModel';
import type { ReviewSource } from '../../../src/extension/review/reviewSource';

const LINES = 5_000;
const SAMPLES = 30;
const KEYSTROKES = 200;

/** A review source whose snapshot the benchmark sets, as the core's `review.changed` would announce it. */
class BenchSource implements ReviewSource {
  snapshot: ReviewSnapshot = { mode: 'review', files: [], pendingCount: 0 };
  private listener: () => void = () => undefined;
  reviewSnapshot = () => this.snapshot;
  decideReview = async () => ({ decided: [], stale: [] });
  onReviewChanged(listener: () => void) {
    this.listener = listener;
    return () => undefined;
  }
  announce(snapshot: ReviewSnapshot): void {
    this.snapshot = snapshot;
    this.listener();
  }
}

/** `count` one-line hunks spread evenly over the file, as applied in `review` mode. */
function reviewOf(relPath: string, before: string[], count: number): { file: ReviewFile; after: string[] } {
  const after = [...before];
  const step = Math.floor(before.length / Math.max(1, count));
  const hunks = Array.from({ length: count }, (_, k) => {
    const line = k * step + 1;
    after[line - 1] = `${before[line - 1]} // changed by the agent`;
    return { id: `bench:${k + 1}`, changeId: 'bench', index: k + 1, path: relPath, agentId: 'coder-B-a1', status: 'pending' as const, oldStart: line, oldLines: [before[line - 1]!], newStart: line, newLines: [after[line - 1]!], proposedAt: new Date().toISOString() };
  });
  return { file: { path: relPath, changeId: 'bench', state: 'applied', before: before.join('\n') + '\n', after: after.join('\n') + '\n', hunks }, after };
}

const stats = (ms: number[]) => {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { median: at(0.5), p95: at(0.95), n: ms.length };
};

describe('review benchmark', function () {
  before(function () {
    if (!process.env.MUNERO_REVIEW_BENCH) this.skip();
  });

  it('measures proposal → decorations and keystroke round-trips with hunks awaiting review', async () => {
    const root = vscode.workspace.workspaceFolders![0].uri;
    const relPath = 'bench-5000.js';
    const before = Array.from({ length: LINES }, (_, i) => `const value${i} = ${i}; // line ${i + 1} of the benchmark file`);
    const { file, after } = reviewOf(relPath, before, 200);
    const oneHunk = reviewOf(relPath, before, 1).file;
    fs.writeFileSync(path.join(root.fsPath, relPath), after.join('\n') + '\n');
    const source = new BenchSource();
    const model = new ReviewModel(source, root);
    const decorations = new ReviewDecorations(model);
    const lenses = ReviewCodeLens.register(model);
    const uri = vscode.Uri.joinPath(root, relPath);
    const editor = await vscode.window.showTextDocument(uri);
    try {
      const empty: ReviewSnapshot = { mode: 'review', files: [], pendingCount: 0 };
      const proposalToPaint = async (review: ReviewFile) => {
        const painted: number[] = [];
        const lensed: number[] = [];
        for (let i = 0; i < SAMPLES; i++) {
          source.announce(empty);
          const t0 = performance.now();
          source.announce({ mode: 'review', files: [review], pendingCount: review.hunks.length });
          painted.push(decorations.paintedAt.get(uri.toString())! - t0);
          // The renderer asks for the lenses again; this round trip includes it.
          await vscode.commands.executeCommand('vscode.executeCodeLensProvider', uri);
          lensed.push(performance.now() - t0);
        }
        return { painted: stats(painted), lensed: stats(lensed) };
      };
      const keystrokes = async () => {
        const ms: number[] = [];
        for (let i = 0; i < KEYSTROKES; i++) {
          const at = new vscode.Position((i * 37) % LINES, 0);
          const t0 = performance.now();
          await editor.edit((e) => e.insert(at, 'x'), { undoStopBefore: false, undoStopAfter: false });
          ms.push(performance.now() - t0);
          await editor.edit((e) => e.delete(new vscode.Range(at, at.translate(0, 1))), { undoStopBefore: false, undoStopAfter: false });
        }
        return stats(ms);
      };
      const figures = {
        lines: LINES,
        proposal1: await proposalToPaint(oneHunk),
        proposal200: await proposalToPaint(file),
        keystroke200: await keystrokes(),
        keystroke0: (source.announce(empty), await keystrokes()),
      };
      fs.writeFileSync(process.env.MUNERO_REVIEW_BENCH!, JSON.stringify(figures, null, 2));
    } finally {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      lenses.dispose();
      decorations.dispose();
      model.dispose();
    }
  });
});
