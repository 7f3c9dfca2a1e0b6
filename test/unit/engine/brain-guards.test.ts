import assert from 'node:assert/strict';
import type { ScriptTurn } from '../../../src/scripted/scriptTypes';
import { BROKEN_ADD, managerFor, serve, tool } from './helpers';
import {
  ADD_TEST,
  assertNoRejects,
  attempt,
  attemptBriefs,
  brainWorkspace,
  buildJson,
  eventsOf,
  failingTests,
  GOOD_ADD,
  planOf,
  reflectorTurn,
  requestsOf,
  specOf,
  task,
  tokensOf,
  writeAttempt,
  MUL_REQ,
} from './brainHelpers';

const ADD_REQ = '`add(a, b)` in add.js returns the sum of two numbers.';
const ONE_TASK = planOf([task('T1', ['R1'], ['add.js', 'add.test.js'])]);

describe('brain: loop guards', function () {
  this.timeout(60_000);

  it('stops a coder that keeps writing the same broken code within three attempts', async () => {
    const broken = Array.from({ length: 6 }, () => [
      ...writeAttempt('T1', { 'add.js': BROKEN_ADD, 'add.test.js': ADD_TEST }),
      reflectorTurn('T1', { root_cause: 'It subtracts.', lesson: 'Add, do not subtract.', next_action: 'retry' }),
    ]).flat();
    const server = await serve([ONE_TASK, ...broken]);
    const workspace = brainWorkspace({ 'SPEC.md': specOf([ADD_REQ], 8) });
    try {
      const { manager, events } = managerFor(workspace, server);
      const result = await manager.start('SPEC.md');
      assert.equal(result.outcome, 'unmet');
      const coder = requestsOf(server, 'coder', 'T1');
      assert.ok(coder.length <= 3 * 2, `${coder.length} coder requests`);
      assert.equal(coder.length, 6);
      assert.equal(requestsOf(server, 'reflector').length, 2, 'no reflection once the guard has fired');
      const state = buildJson(workspace);
      assert.equal(state.tasks.T1.status, 'escalated');
      assert.equal(state.tasks.T1.attempts, 3);
      assert.match(state.tasks.T1.escalated, /the same failure repeated 3 times/);
      assert.ok(eventsOf(events, 'task.finished').some((e) => e.status === 'escalated' && e.attempt === 3));
      assert.deepEqual(result.unmet, ['R1']);
      assert.equal(result.requirements[0].verdict, 'failed');
      assertNoRejects(server);
    } finally {
      await server.close();
    }
  });

  it('escalates a task at once when its coder repeats the same tool call three times in a row', async () => {
    const server = await serve([
      ONE_TASK,
      { agent: 'coder', task: 'T1', content: [tool('list_files', {})] },
      { agent: 'coder', task: 'T1', content: [tool('list_files', {})] },
      { agent: 'coder', task: 'T1', content: [tool('list_files', {})] },
      ...writeAttempt('T1', { 'add.js': GOOD_ADD, 'add.test.js': ADD_TEST }),
    ]);
    const workspace = brainWorkspace({ 'SPEC.md': specOf([ADD_REQ], 5) }, { reflection: false });
    try {
      const { manager } = managerFor(workspace, server);
      const result = await manager.start('SPEC.md');
      assert.equal(result.outcome, 'unmet');
      assert.equal(requestsOf(server, 'coder', 'T1').length, 3, 'no fourth request, no second attempt');
      const state = buildJson(workspace);
      assert.equal(state.tasks.T1.status, 'escalated');
      assert.equal(state.tasks.T1.attempts, 1);
      assert.match(state.tasks.T1.escalated, /^loop guard: .*the same list_files call was repeated 3 times/);
      assert.match(result.reason, /T1 escalated \(loop guard/);
      assert.equal(server.remainingTurns().length, 2, 'the good attempt was never asked for');
      assertNoRejects(server);
    } finally {
      await server.close();
    }
  });

  it('escalates a task that fails differently each time without fewer failing tests', async () => {
    const names = ['alpha', 'bravo', 'charlie', 'delta', 'echo'];
    const server = await serve([
      ONE_TASK,
      ...names.flatMap((n) => writeAttempt('T1', { 'add.js': BROKEN_ADD, 'add.test.js': failingTests([`${n} case`]) })),
      ...writeAttempt('T1', { 'add.js': GOOD_ADD, 'add.test.js': ADD_TEST }),
    ]);
    const workspace = brainWorkspace({ 'SPEC.md': specOf([ADD_REQ], 8) }, { reflection: false });
    try {
      const { manager } = managerFor(workspace, server);
      const result = await manager.start('SPEC.md');
      assert.equal(result.outcome, 'unmet');
      const state = buildJson(workspace);
      assert.equal(state.tasks.T1.status, 'escalated');
      // Attempt 1 sets the baseline (one failing test); attempts 2–4 fail no fewer.
      assert.equal(state.tasks.T1.attempts, 4);
      assert.equal(new Set(state.tasks.T1.signatures).size, 4, 'each failure was different');
      assert.match(state.tasks.T1.escalated, /no new passing check in 3 attempts/);
      assert.equal(attemptBriefs(server, 'T1').length, 4);
      assertNoRejects(server);
    } finally {
      await server.close();
    }
  });
});

/** A coder attempt with small outputs: list, read, write the files, complete. */
function smallAttempt(taskId: string): ScriptTurn[] {
  return attempt(taskId, [
    [tool('list_files', {})],
    [tool('read_file', { path: 'SPEC.md' })],
    [tool('write_file', { path: 'add.js', content: GOOD_ADD })],
    [tool('write_file', { path: 'add.test.js', content: "require('node:test')('adds', () => { if (require('./add').add(2, 3) !== 5) throw 1; });\n" })],
  ]);
}

function turnTokens(usage: unknown): number {
  const u = usage as { input_tokens: number; output_tokens: number; cache_read_input_tokens: number; cache_creation_input_tokens: number };
  return u.input_tokens + u.output_tokens + u.cache_read_input_tokens + u.cache_creation_input_tokens;
}

describe('brain: budgets', function () {
  this.timeout(120_000);

  it('stops before the request that could pass --max-tokens, and names the flag', async () => {
    const server = await serve([ONE_TASK, ...smallAttempt('T1')]);
    const workspace = brainWorkspace({ 'SPEC.md': specOf([ADD_REQ]) }, { reflection: false });
    const cap = 12_000;
    try {
      const { manager, events } = managerFor(workspace, server);
      const result = await manager.start('SPEC.md', { maxTokens: cap });
      assert.equal(result.outcome, 'unmet');
      assert.match(result.reason, /token cap of 12000/);
      assert.match(result.reason, /--max-tokens/);
      const budget = eventsOf(events, 'budget');
      assert.equal(budget.length, 1);
      assert.equal(budget[0].cap, 'max-tokens');
      const used = tokensOf(buildJson(workspace).usage);
      assert.ok(used <= cap, `${used} tokens used`);
      const [, reported, next] = budget[0].message.match(/: (\d+) used or held by requests in flight, and the next request could use up to (\d+)/)!.map(Number);
      assert.equal(reported, used);
      assert.ok(used + next > cap, 'it stopped only because the next request could pass the cap');
      assert.ok(server.log.length >= 2 && server.log.length < 6, `${server.log.length} requests`);
      assert.equal(buildJson(workspace).usage.requests, server.log.length);
      assertNoRejects(server);
    } finally {
      await server.close();
    }
  });

  it('never lets the recorded usage pass --max-tokens, whichever request the cap falls on', async () => {
    // A small max_tokens makes the input estimate matter. Calibrate: each request's real size.
    const config = { reflection: false, request: { retryBaseMs: 5, retryMaxMs: 40, maxRetries: 3, maxTokens: 64 } };
    const script = [ONE_TASK, ...smallAttempt('T1')];
    const calibration = await serve(script);
    let totals: number[];
    try {
      const result = await managerFor(brainWorkspace({ 'SPEC.md': specOf([ADD_REQ]) }, config), calibration).manager.start('SPEC.md');
      assert.equal(result.outcome, 'verified', result.reason);
      const outputs = calibration.log.map((e) => (e.usage as { output_tokens: number }).output_tokens);
      assert.ok(outputs.every((o) => o <= 64), `every answer fits max_tokens: ${outputs}`);
      totals = calibration.log.map((e) => turnTokens(e.usage));
    } finally {
      await calibration.close();
    }
    // A cap one token below the real total after request k: request k must not be sent.
    const over: string[] = [];
    for (let k = 1; k <= totals.length; k++) {
      const cap = totals.slice(0, k).reduce((a, b) => a + b, 0) - 1;
      const server = await serve(script);
      const workspace = brainWorkspace({ 'SPEC.md': specOf([ADD_REQ]) }, config);
      try {
        await managerFor(workspace, server).manager.start('SPEC.md', { maxTokens: cap });
        const used = tokensOf(buildJson(workspace).usage);
        if (used > cap) over.push(`cap ${cap}: ${used} tokens used after ${server.log.length} requests`);
        assertNoRejects(server);
      } finally {
        await server.close();
      }
    }
    assert.deepEqual(over, []);
  });

  it('escalates only the task past its own token cap; the other task finishes', async () => {
    const reads = Array.from({ length: 8 }, (_, i) => [tool('read_file', { path: 'SPEC.md', start_line: i + 1 })]);
    const server = await serve([
      planOf([task('T1', ['R1'], ['add.js', 'add.test.js']), task('T2', ['R2'], ['mul.js'])]),
      ...writeAttempt('T1', { 'add.js': GOOD_ADD, 'add.test.js': ADD_TEST }),
      ...attempt('T2', [...reads, [tool('write_file', { path: 'mul.js', content: 'exports.mul = (a, b) => a * b;\n' })]]),
    ]);
    const cap = 6_000;
    const workspace = brainWorkspace(
      { 'SPEC.md': specOf([ADD_REQ, MUL_REQ]) },
      { reflection: false, parallel: 1, task: { maxTokens: cap }, request: { retryBaseMs: 5, retryMaxMs: 40, maxRetries: 3, maxTokens: 1024 } },
    );
    try {
      const { manager } = managerFor(workspace, server);
      const result = await manager.start('SPEC.md');
      const state = buildJson(workspace);
      assert.equal(state.tasks.T1.status, 'done');
      assert.equal(state.tasks.T2.status, 'escalated');
      assert.match(state.tasks.T2.escalated, /^task T2 stopped at its token cap of 6000/);
      const t2 = requestsOf(server, 'coder', 'T2').length;
      assert.ok(t2 >= 1 && t2 < 10, `${t2} T2 requests`);
      assert.ok(tokensOf(state.tasks.T1.usage) <= cap);
      assert.ok(tokensOf(state.tasks.T2.usage) <= cap, `T2 used ${tokensOf(state.tasks.T2.usage)}`);
      assert.equal(result.outcome, 'unmet');
      assert.match(result.reason, /T2 escalated \(task T2 stopped at its token cap/);
      const r2 = result.requirements.find((r) => r.id === 'R2')!;
      assert.equal(r2.verdict, 'failed');
      assertNoRejects(server);
    } finally {
      await server.close();
    }
  });
});
