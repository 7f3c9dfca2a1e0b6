import fs from 'node:fs';
import path from 'node:path';
import { BuildManager, type ReviewDecision, type ReviewFile, type ReviewHunk, type ReviewMode } from '../../../src/core';
import type { ScriptedServer } from '../../../src/scripted/server';
import { ADD_TEST, specOf } from '../engine/brainHelpers';
import { makeWorkspace } from '../engine/helpers';

export const SPEC = specOf(['`add(a, b)` in add.js returns the sum of two numbers.']);

/** add.js before the agent's change: a wrong adder between comment lines, so one write makes two hunks. */
export const BEFORE = '// adder\nexports.add = (a, b) => a - b;\n// helpers\n// end\n';
/** The agent's proposal: hunk 1 fixes line 2, hunk 2 inserts a helper before "// end". */
export const PROPOSED = '// adder\nexports.add = (a, b) => a + b;\n// helpers\nexports.twice = (a) => a * 2;\n// end\n';
export const HUNK1_ONLY = '// adder\nexports.add = (a, b) => a + b;\n// helpers\n// end\n';
export { ADD_TEST };

export function reviewWorkspace(): string {
  return makeWorkspace({ 'SPEC.md': SPEC, 'add.js': BEFORE });
}

export function reviewManager(workspace: string, server: ScriptedServer, reviewMode: ReviewMode): BuildManager {
  return new BuildManager({ workspaceRoot: workspace, env: { apiKey: 'test-key', baseURL: server.url }, reviewMode });
}

export type Decider = (hunk: ReviewHunk, file: ReviewFile) => ReviewDecision | undefined | Promise<ReviewDecision | undefined>;

/**
 * The user at the editor: whenever hunks await a decision, each is decided by `decide` (undefined:
 * left pending), the way an adapter calls the public API.
 */
export function answerReviews(manager: BuildManager, decide: Decider): { asked: ReviewHunk[] } {
  const asked: ReviewHunk[] = [];
  const seen = new Set<string>();
  manager.bus.on('review.changed').subscribe(() => {
    setImmediate(async () => {
      for (const file of manager.reviewSnapshot().files) {
        for (const hunk of file.hunks) {
          if (hunk.status !== 'pending' || seen.has(hunk.id)) continue;
          seen.add(hunk.id);
          asked.push(hunk);
          const decision = await decide(hunk, file);
          if (decision) await manager.decideReview({ hunkId: hunk.id }, decision);
        }
      }
    });
  });
  return { asked };
}

export function read(workspace: string, rel: string): string | undefined {
  const abs = path.join(workspace, rel);
  return fs.existsSync(abs) ? fs.readFileSync(abs, 'utf8') : undefined;
}
