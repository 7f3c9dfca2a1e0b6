import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { replayTranscript } from '../../../src/core/state/transcript';
import type { RequestLogEntry } from '../../../src/scripted/server';
import { managerFor, serve, tool } from './helpers';
import { ADD_TEST, assertNoRejects, attempt, brainWorkspace, GOOD_ADD, planOf, requestsOf, specOf, task } from './brainHelpers';

/** 60 lines of 50 characters: a 3,000-character file. */
const BIG = Array.from({ length: 60 }, (_, i) => `// line ${String(i + 1).padStart(2, '0')} ${'x'.repeat(38)}`).join('\n') + '\n';

/** Builds one task whose coder reads big.js 12 times (distinct ranges), then writes add.js; returns its coder requests. */
async function readHeavyBuild(config: Record<string, unknown>): Promise<RequestLogEntry[]> {
  const reads = Array.from({ length: 12 }, (_, i) => [tool('read_file', { path: 'big.js', start_line: 1, end_line: 60 + i })]);
  const server = await serve([
    planOf([task('T1', ['R1'], ['add.js', 'add.test.js'])]),
    ...attempt('T1', [...reads, [tool('write_file', { path: 'add.js', content: GOOD_ADD }), tool('write_file', { path: 'add.test.js', content: ADD_TEST })]]),
  ]);
  const workspace = brainWorkspace({ 'SPEC.md': specOf(['`add(a, b)` in add.js returns the sum.']), 'big.js': BIG }, { reflection: false, ...config });
  try {
    const result = await managerFor(workspace, server).manager.start('SPEC.md');
    assert.equal(result.outcome, 'verified', result.reason);
    assertNoRejects(server);
    const sent = requestsOf(server, 'coder', 'T1');
    // The transcript replays to exactly what was sent, elided messages included.
    const state = JSON.parse(fs.readFileSync(path.join(workspace, '.munero', 'current.json'), 'utf8'));
    const lines = fs.readFileSync(path.join(workspace, '.munero', 'builds', state.buildId, 'transcripts', 'coder-T1-a1.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(replayTranscript(lines).map((r) => r.request), sent.map((e) => e.body));
    return sent;
  } finally {
    await server.close();
  }
}

const size = (e: RequestLogEntry) => JSON.stringify(e.body).length;

describe('brain: bounded context', function () {
  this.timeout(60_000);

  it('keeps request bodies bounded with maxContextChars, eliding old tool results', async () => {
    assert.equal(BIG.length, 3000);
    const unbounded = await readHeavyBuild({});
    const bounded = await readHeavyBuild({ maxContextChars: 8000 });
    assert.equal(unbounded.length, 14);
    assert.equal(bounded.length, 14);

    const u = unbounded.map(size);
    const b = bounded.map(size);
    // Unbounded, every read adds ~3,000 characters; bounded, the last request is far smaller.
    assert.ok(u.at(-1)! - u[0] > 12 * 3000, `unbounded grew by ${u.at(-1)! - u[0]}`);
    assert.ok(b.at(-1)! < u.at(-1)!, `bounded ${b.at(-1)} vs unbounded ${u.at(-1)}`);
    assert.ok(b.at(-1)! < u.at(-1)! / 2, `bounded ${b.at(-1)} vs unbounded ${u.at(-1)}`);
    // The bodies stop growing: over the last seven reads the bounded peak grows by a fraction of what
    // the unbounded bodies grow by, and elision makes some requests smaller than the one before.
    const peakGrowth = Math.max(...b.slice(7)) - Math.max(...b.slice(0, 7));
    assert.ok(peakGrowth < (u[13] - u[6]) / 4, `bounded peak grew by ${peakGrowth}, unbounded by ${u[13] - u[6]}: ${b}`);
    assert.ok(b.some((s, i) => i > 0 && s < b[i - 1]), `some bounded request is smaller than the one before: ${b}`);

    const last = JSON.stringify(bounded.at(-1)!.body);
    assert.match(last, /characters elided from an older turn/);
    assert.doesNotMatch(JSON.stringify(unbounded.at(-1)!.body), /characters elided/);
    // The newest tool result of every request is sent whole.
    for (const r of bounded) {
      const newest = (r.body as { messages: { content: unknown }[] }).messages.at(-1)!;
      assert.doesNotMatch(JSON.stringify(newest.content), /elided/);
    }
    const afterLastRead = (bounded[12].body as { messages: { content: { type: string; content?: string }[] }[] }).messages.at(-1)!.content[0];
    assert.match(String(afterLastRead.content), /^\[big\.js: lines 1-60 of 60\]/);
    assert.match(String(afterLastRead.content), /line 60 x+$/);
  });
});
