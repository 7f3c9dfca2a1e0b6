import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { MuneroEvent } from '../../../src/core';
import type { ScriptedServer } from '../../../src/scripted/server';
import { buildJson, lastToolResults, requestsOf } from '../engine/brainHelpers';
import { planTurn, serve, tool } from '../engine/helpers';
import { ADD_TEST, answerReviews, BEFORE, HUNK1_ONLY, PROPOSED, read, reviewManager, reviewWorkspace } from './reviewHelpers';

/** A coder that proposes PROPOSED for add.js, then writes the test, then completes. */
function script(extraCoderTurns: ReturnType<typeof coderTurn>[] = []) {
  return [
    planTurn(),
    coderTurn([tool('write_file', { path: 'add.js', content: PROPOSED })]),
    ...extraCoderTurns,
    coderTurn([tool('write_file', { path: 'add.test.js', content: ADD_TEST })]),
    coderTurn([tool('task_complete', { summary: 'done' })]),
  ];
}

function coderTurn(content: ReturnType<typeof tool>[]) {
  return { agent: 'coder', task: 'T1', content };
}

/** The tool result the coder got for its add.js write: its next request carries it. */
function addJsResult(server: ScriptedServer): { content: string; is_error?: boolean } {
  const second = requestsOf(server, 'coder', 'T1')[1];
  return lastToolResults(second)[0];
}

const acceptTests = (decide: (index: number) => { accept: boolean; reason?: string; editedLines?: string[] } | undefined) =>
  (hunk: { path: string; index: number }) => (hunk.path === 'add.test.js' ? { accept: true } : decide(hunk.index));

describe('approve mode', function () {
  this.timeout(60_000);
  let server: ScriptedServer;
  afterEach(() => server?.close());

  it('lands the accepted hunk byte for byte, and the next request for the task carries the rejection reason', async () => {
    server = await serve(script());
    const workspace = reviewWorkspace();
    const manager = reviewManager(workspace, server, 'approve');
    const events: MuneroEvent[] = [];
    manager.bus.events$.subscribe((e) => events.push(e));
    answerReviews(manager, acceptTests((i) => (i === 1 ? { accept: true } : { accept: false, reason: 'use the existing parser' })));
    const result = await manager.start('SPEC.md');
    assert.equal(result.outcome, 'verified', result.reason);
    assert.equal(read(workspace, 'add.js'), HUNK1_ONLY);
    const told = addJsResult(server);
    assert.match(told.content, /add\.js, hunk 2 \(your lines 4-4\) rejected: use the existing parser/);
    assert.match(told.content, /add\.js, hunk 1 \(your lines 2-2\) accepted/);
    assert.match(told.content, /differs from what you wrote/);
    const waiting = events.find((e) => e.type === 'agent.state' && e.step === 'waiting');
    assert.ok(waiting && waiting.type === 'agent.state' && waiting.detail === 'for review', 'the agent was shown waiting for review');
    assert.equal(buildJson(workspace).options.reviewMode, 'approve');
    assert.equal(manager.reviewSnapshot().pendingCount, 0);
  });

  it('accepting every hunk writes exactly the proposed bytes', async () => {
    server = await serve(script());
    const workspace = reviewWorkspace();
    const manager = reviewManager(workspace, server, 'approve');
    answerReviews(manager, () => ({ accept: true }));
    const result = await manager.start('SPEC.md');
    assert.equal(result.outcome, 'verified', result.reason);
    assert.equal(read(workspace, 'add.js'), PROPOSED);
    assert.match(addJsResult(server).content, /accepted every hunk/);
  });

  it('rejecting every hunk leaves the file byte-identical and tells the agent it was NOT modified', async () => {
    server = await serve(script([coderTurn([tool('write_file', { path: 'add.js', content: HUNK1_ONLY })])]));
    const workspace = reviewWorkspace();
    const manager = reviewManager(workspace, server, 'approve');
    let first = true;
    answerReviews(manager, acceptTests(() => {
      const decision = first ? { accept: false, reason: 'not like this' } : { accept: true };
      return decision;
    }));
    manager.bus.on('review.changed').subscribe(() => {
      if (manager.reviewSnapshot().files.some((f) => f.path === 'add.js' && f.hunks.length === 1)) first = false;
    });
    const before = fs.readFileSync(path.join(workspace, 'add.js'));
    const sizes: Buffer[] = [];
    manager.bus.on('tool.result').subscribe((e) => {
      if (e.tool === 'write_file' && sizes.length === 0) sizes.push(fs.readFileSync(path.join(workspace, 'add.js')));
    });
    const result = await manager.start('SPEC.md');
    assert.equal(result.outcome, 'verified', result.reason);
    assert.ok(sizes[0].equals(before), 'add.js byte-identical after the rejection');
    const told = addJsResult(server);
    assert.equal(told.is_error, true);
    assert.match(told.content, /the file was NOT modified/);
    assert.match(told.content, /hunk 1 \(your lines 2-2\) rejected: not like this/);
  });

  it('an edited hunk lands as the user edited it, and the agent is told what it now reads', async () => {
    server = await serve(script());
    const workspace = reviewWorkspace();
    const manager = reviewManager(workspace, server, 'approve');
    answerReviews(manager, acceptTests((i) => (i === 1 ? { accept: true, editedLines: ['exports.add = (a, b) => b + a;'] } : { accept: false })));
    const result = await manager.start('SPEC.md');
    assert.equal(result.outcome, 'verified', result.reason);
    assert.equal(read(workspace, 'add.js'), '// adder\nexports.add = (a, b) => b + a;\n// helpers\n// end\n');
    assert.match(addJsResult(server).content, /hunk 1 \(your lines 2-2\) accepted as edited by the user; it now reads:\n {2}exports\.add = \(a, b\) => b \+ a;/);
  });

  it('a hunk whose lines the user changed after the proposal is stale and the file is left as the user wrote it', async () => {
    server = await serve(script());
    const workspace = reviewWorkspace();
    const manager = reviewManager(workspace, server, 'approve');
    const mine = BEFORE.replace('a - b;', 'a - b; // mine');
    let stale: string[] = [];
    answerReviews(manager, async (hunk) => {
      if (hunk.path === 'add.test.js') return { accept: true };
      if (hunk.index === 1) fs.writeFileSync(path.join(workspace, 'add.js'), mine);
      if (hunk.index === 2) {
        const outcome = await manager.decideReview({ path: 'add.js' }, { accept: true });
        stale = outcome.stale;
      }
      return hunk.index === 1 ? { accept: true } : undefined;
    });
    // The checks then fail (the fix went stale) and the script has no second attempt: only what review did matters here.
    const result = await manager.start('SPEC.md');
    // Hunk 2 (the insertion) still fits the user's file and is rebased onto it; hunk 1 is not.
    assert.equal(read(workspace, 'add.js'), mine.replace('// helpers\n', '// helpers\nexports.twice = (a) => a * 2;\n'));
    const files = JSON.parse(fs.readFileSync(path.join(workspace, '.munero', 'builds', result.buildId, 'reviews.json'), 'utf8')).files;
    const addJs = files.find((f: { path: string }) => f.path === 'add.js');
    assert.deepEqual(addJs.hunks.map((h: { status: string }) => h.status), ['stale', 'accepted']);
    assert.ok(stale.some((id) => id.endsWith(':1')), `stale reported: ${stale}`);
    assert.match(addJsResult(server).content, /hunk 1 \(your lines 2-2\) not applied: the file changed there after the proposal/);
  });

  it('does not count the time spent waiting for review against --max-minutes', async () => {
    server = await serve(script());
    const workspace = reviewWorkspace();
    const manager = reviewManager(workspace, server, 'approve');
    answerReviews(manager, async (hunk) => {
      if (hunk.path === 'add.js' && hunk.index === 1) await new Promise((r) => setTimeout(r, 4000));
      return { accept: true };
    });
    const result = await manager.start('SPEC.md', { maxMinutes: 0.05 });
    assert.equal(result.outcome, 'verified', result.reason);
    assert.ok(buildJson(workspace).elapsedMs < 3000, `elapsed ${buildJson(workspace).elapsedMs} ms counts no waiting`);
  });

  it('pending proposals survive a new BuildManager; a decision made there lands when the build resumes', async () => {
    server = await serve(script());
    const workspace = reviewWorkspace();
    const manager = reviewManager(workspace, server, 'approve');
    const proposed = new Promise<void>((resolve) => manager.bus.on('review.changed').subscribe(() => resolve()));
    const run = manager.start('SPEC.md');
    await proposed;
    const live = manager.reviewSnapshot();
    manager.cancel('interrupt');
    assert.equal((await run).outcome, 'paused');

    const reloaded = reviewManager(workspace, server, 'approve');
    assert.deepEqual(reloaded.reviewSnapshot(), live);
    assert.equal(live.files[0].state, 'proposed');
    assert.deepEqual(live.files[0].hunks.map((h) => h.id), [`${live.files[0].changeId}:1`, `${live.files[0].changeId}:2`]);
    const decided = await reloaded.decideReview({ path: 'add.js' }, { accept: true });
    assert.equal(decided.decided.length, 2);
    assert.equal(read(workspace, 'add.js'), BEFORE, 'nothing lands before the build resumes');

    answerReviews(reloaded, () => ({ accept: true }));
    const resumed = await reloaded.resume();
    assert.equal(resumed.outcome, 'verified', resumed.reason);
    assert.equal(read(workspace, 'add.js'), PROPOSED);
  });
});
