import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { ScriptedServer } from '../../../src/scripted/server';
import { buildJson } from '../engine/brainHelpers';
import { planTurn, serve, tool } from '../engine/helpers';
import { ADD_TEST, BEFORE, HUNK1_ONLY, PROPOSED, read, reviewManager, reviewWorkspace } from './reviewHelpers';

describe('review mode', function () {
  this.timeout(60_000);
  let server: ScriptedServer;
  afterEach(() => server?.close());

  async function builtUnderReview() {
    server = await serve([
      planTurn(),
      { agent: 'coder', task: 'T1', content: [tool('write_file', { path: 'add.js', content: PROPOSED }), tool('write_file', { path: 'add.test.js', content: ADD_TEST })] },
      { agent: 'coder', task: 'T1', content: [tool('task_complete', { summary: 'done' })] },
    ]);
    const workspace = reviewWorkspace();
    const manager = reviewManager(workspace, server, 'review');
    const result = await manager.start('SPEC.md');
    assert.equal(result.outcome, 'verified', result.reason);
    return { workspace, manager };
  }

  it('applies at once and keeps every hunk pending; the snapshot survives a new BuildManager', async () => {
    const { workspace, manager } = await builtUnderReview();
    assert.equal(read(workspace, 'add.js'), PROPOSED);
    const snapshot = manager.reviewSnapshot();
    assert.equal(snapshot.mode, 'review');
    assert.equal(snapshot.pendingCount, 3);
    const addJs = snapshot.files.find((f) => f.path === 'add.js')!;
    assert.equal(addJs.state, 'applied');
    assert.deepEqual(addJs.hunks.map((h) => [h.oldStart, h.oldLines, h.newStart, h.newLines]), [
      [2, ['exports.add = (a, b) => a - b;'], 2, ['exports.add = (a, b) => a + b;']],
      [4, [], 4, ['exports.twice = (a) => a * 2;']],
    ]);
    assert.deepEqual(reviewManager(workspace, server, 'review').reviewSnapshot(), snapshot);
  });

  it('undo restores exactly the earlier bytes of that hunk, keep leaves the file, and the task hears why', async () => {
    const { workspace } = await builtUnderReview();
    const reloaded = reviewManager(workspace, server, 'review');
    const [fix, helper] = reloaded.reviewSnapshot().files.find((f) => f.path === 'add.js')!.hunks;
    assert.deepEqual(await reloaded.decideReview({ hunkId: helper.id }, { accept: false, reason: 'no helpers please' }), { decided: [helper.id], stale: [] });
    assert.equal(read(workspace, 'add.js'), HUNK1_ONLY);
    await reloaded.decideReview({ hunkId: fix.id }, { accept: true });
    assert.equal(read(workspace, 'add.js'), HUNK1_ONLY);
    assert.deepEqual(buildJson(workspace).tasks.T1.reviewFeedback, ['add.js, hunk 2 undone by the user: no helpers please']);
    const left = reloaded.reviewSnapshot();
    assert.deepEqual(left.files.map((f) => f.path), ['add.test.js']);
    const log = fs.readFileSync(path.join(workspace, '.munero', 'builds', buildJson(workspace).id, 'changes.jsonl'), 'utf8');
    assert.match(log, /"tool":"review"/, 'the undo is in the change log');
  });

  it('undoing a hunk whose lines the user changed since leaves the file untouched and reports it stale', async () => {
    const { workspace } = await builtUnderReview();
    const mine = PROPOSED.replace('a + b;', 'a + b; // mine');
    fs.writeFileSync(path.join(workspace, 'add.js'), mine);
    const reloaded = reviewManager(workspace, server, 'review');
    const [fix, helper] = reloaded.reviewSnapshot().files.find((f) => f.path === 'add.js')!.hunks;
    assert.deepEqual(await reloaded.decideReview({ hunkId: fix.id }, { accept: false }), { decided: [], stale: [fix.id] });
    assert.equal(read(workspace, 'add.js'), mine);
    // The other hunk still undoes cleanly around the user's line.
    await reloaded.decideReview({ hunkId: helper.id }, { accept: false });
    assert.equal(read(workspace, 'add.js'), BEFORE.replace('a - b;', 'a + b; // mine'));
  });
});
