import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { emptyUsage } from '../../../src/core/state/buildState';
import { taskSignature } from '../../../src/core/learning';
import { openDb, tmpWorkspace } from './helpers';

const slugTask = {
  id: 'T3',
  title: 'Add a slugify helper',
  description: 'Create src/slug.ts exporting slugify(text) that lowercases the text and replaces spaces with dashes.',
  requirementTexts: ['Article titles become URL-safe slugs.'],
};

const similarSlugTask = {
  id: 'T7',
  title: 'Add slugify helper',
  description: 'Create src/util/slug.ts exporting slugify(text) which lowercases text and replaces spaces by dashes.',
  requirementTexts: ['Article titles become URL-safe slugs.'],
};

const loginTask = {
  id: 'T1',
  title: 'Build the login form',
  description: 'A form with email and password fields that posts to /api/session and shows server errors.',
  requirementTexts: ['Users can sign in.'],
};

const solution = (task: typeof slugTask, buildId: string, changeSummary = 'Added src/slug.ts with slugify.') => ({
  task,
  changeSummary,
  files: ['src/slug.ts'],
  checks: ['npm test'],
  buildId,
});

describe('learning solution cache and performance history', () => {
  it('finds a solution for a similar task, not for an unrelated one', () => {
    const root = tmpWorkspace();
    const db = openDb(root);
    const recorded = db.recordSolution(solution(slugTask, 'b1'));
    assert.equal(recorded.taskSignature, taskSignature(slugTask).taskSignature);
    assert.ok(recorded.tokens.includes('slugify'));

    const found = db.findSolutions({ task: similarSlugTask });
    assert.equal(found.length, 1);
    assert.ok(found[0].similarity >= 0.5 && found[0].similarity < 1, String(found[0].similarity));
    assert.deepEqual([found[0].changeSummary, found[0].files, found[0].checks, found[0].buildId], ['Added src/slug.ts with slugify.', ['src/slug.ts'], ['npm test'], 'b1']);
    assert.deepEqual(db.findSolutions({ task: loginTask }), []);
    db.close();
    assert.equal(fs.readFileSync(path.join(root, '.munero', 'learning', 'solutions.jsonl'), 'utf8').trim().split('\n').length, 1);
  });

  it('the same task matches exactly, newest solution first, across instances', () => {
    const root = tmpWorkspace();
    const first = openDb(root);
    first.recordSolution(solution(slugTask, 'b1'));
    first.recordSolution(solution(loginTask, 'b1', 'Added the login form.'));
    first.close();
    const second = openDb(root);
    second.recordSolution(solution({ ...slugTask, id: 'T9' }, 'b2', 'Rewrote slugify.'));
    const found = second.findSolutions({ task: slugTask, minSimilarity: 0 });
    assert.deepEqual(found.map((s) => [s.similarity, s.changeSummary]).slice(0, 1), [[1, 'Rewrote slugify.']]);
    assert.equal(found.filter((s) => s.taskSignature === taskSignature(slugTask).taskSignature).length, 1);
    assert.equal(second.findSolutions({ task: slugTask, maxResults: 1, minSimilarity: 0 }).length, 1);
    second.close();
  });

  it('round-trips performance history', () => {
    const root = tmpWorkspace();
    const db = openDb(root);
    const usage = { ...emptyUsage(), inputTokens: 1200, outputTokens: 300, costUsd: 0.42, requests: 5 };
    const entry = db.recordPerformance({
      buildId: 'b1',
      specPath: 'specs/app.md',
      outcome: 'verified',
      iterations: 3,
      usage,
      durationMs: 93_000,
      requirements: [{ id: 'REQ-1', verdict: 'verified' }],
    });
    assert.ok(entry.at);
    db.recordPerformance({ ...entry, buildId: 'b2', outcome: 'unmet', requirements: [{ id: 'REQ-1', verdict: 'failed' }], at: '2025-02-01T00:00:00.000Z' });
    db.close();
    const history = openDb(root).performanceHistory();
    assert.deepEqual(history.map((h) => [h.buildId, h.outcome]), [['b1', 'verified'], ['b2', 'unmet']]);
    assert.deepEqual(history[0], entry);
    assert.equal(history[1].at, '2025-02-01T00:00:00.000Z');
  });
});
