import assert from 'node:assert/strict';
import { BROKEN_ADD, managerFor, serve } from './helpers';
import {
  ADD_TEST,
  assertNoRejects,
  attemptBriefs,
  brainWorkspace,
  briefOf,
  buildJson,
  eventsOf,
  GOOD_ADD,
  lastToolResults,
  passingTests,
  planOf,
  readWriteAttempt,
  reflectorTurn,
  requestsOf,
  specOf,
  startFinishOrder,
  task,
  writeAttempt,
  MUL_REQ,
  MUL_TEST,
} from './brainHelpers';

const ADD_REQ = '`add(a, b)` in add.js returns the sum of two numbers.';

describe('brain: replanning', function () {
  this.timeout(60_000);

  it('splits a failing task when the reflector says so, and builds the revised plan', async () => {
    const server = await serve([
      planOf([task('T1', ['R1'], ['add.js', 'add.test.js'])]),
      ...writeAttempt('T1', { 'add.js': BROKEN_ADD, 'add.test.js': ADD_TEST }),
      reflectorTurn('T1', { root_cause: 'ROOT-SPLIT: too much in one task.', lesson: 'Write the function before its test.', next_action: 'split' }),
      planOf([task('T1a', ['R1'], ['add.js']), task('T1b', ['R1'], ['add.test.js'], ['T1a'])]),
      ...readWriteAttempt('T1a', { 'add.js': GOOD_ADD }),
      ...readWriteAttempt('T1b', { 'add.test.js': ADD_TEST + "test('adds negatives', () => assert.strictEqual(add(-2, -3), -5));\n" }),
    ]);
    const workspace = brainWorkspace({ 'SPEC.md': specOf([ADD_REQ]) });
    try {
      const { manager, events } = managerFor(workspace, server);
      const result = await manager.start('SPEC.md');
      assert.equal(result.outcome, 'verified', result.reason);

      const planner = requestsOf(server, 'planner');
      assert.equal(planner.length, 2);
      assert.equal(planner[1].task, undefined, 'planner requests carry no task');
      const replanBrief = briefOf(planner[1]);
      assert.match(replanBrief, /Split the failing task/);
      assert.match(replanBrief, /- T1 \[failed\]/);
      assert.match(replanBrief, /ROOT-SPLIT/);

      const state = buildJson(workspace);
      assert.deepEqual(state.planHistory.map((p: { version: number }) => p.version), [1, 2]);
      assert.equal(state.planHistory[0].reason, 'initial plan');
      assert.match(state.planHistory[1].reason, /^T1 failed \(.*\); reflection: ROOT-SPLIT/);
      assert.deepEqual(state.plan.tasks.map((t: { id: string }) => t.id), ['T1a', 'T1b']);
      assert.deepEqual(Object.keys(state.tasks).sort(), ['T1a', 'T1b']);
      assert.equal(state.tasks.T1a.status, 'done');
      assert.equal(state.tasks.T1b.status, 'done');

      const revised = eventsOf(events, 'plan.revised');
      assert.equal(revised.length, 1);
      assert.deepEqual({ version: revised[0].version, added: revised[0].added, removed: revised[0].removed }, { version: 2, added: ['T1a', 'T1b'], removed: ['T1'] });
      // The revision happens between iterations 1 and 2.
      const iter1 = eventsOf(events, 'iteration.finished').find((e) => e.iteration === 1)!;
      const iter2 = eventsOf(events, 'iteration.started').find((e) => e.iteration === 2)!;
      assert.ok(iter1.seq < revised[0].seq && revised[0].seq < iter2.seq);
      // T1b waited for T1a.
      const order = startFinishOrder(events);
      assert.ok(order.indexOf('-T1a') < order.indexOf('+T1b'), order.join(' '));
      assertNoRejects(server);
    } finally {
      await server.close();
    }
  });

  it('refuses a revision that drops a done task as a tool error, and accepts the corrected one', async () => {
    const server = await serve([
      planOf([task('T1', ['R1'], ['add.js', 'add.test.js']), task('T2', ['R2'], ['mul.js', 'mul.test.js'])]),
      ...writeAttempt('T1', { 'add.js': GOOD_ADD, 'add.test.js': ADD_TEST }),
      ...writeAttempt('T2', { 'mul.js': 'exports.mul = (a, b) => a + b;\n', 'mul.test.js': MUL_TEST }),
      reflectorTurn('T2', { root_cause: 'The plan lacks a task that fixes mul.', lesson: 'Multiply, do not add.', next_action: 'replan' }),
      planOf([task('T3', ['R1', 'R2'], ['mul.js'])]),
      planOf([task('T1', ['R1'], ['add.js', 'add.test.js']), task('T3', ['R2'], ['mul.js'])]),
      ...readWriteAttempt('T3', { 'mul.js': 'exports.mul = (a, b) => a * b;\n' }),
    ]);
    const workspace = brainWorkspace({ 'SPEC.md': specOf([ADD_REQ, MUL_REQ]) }, { parallel: 1 });
    try {
      const { manager, events } = managerFor(workspace, server);
      const result = await manager.start('SPEC.md');
      assert.equal(result.outcome, 'verified', result.reason);

      const planner = requestsOf(server, 'planner');
      assert.equal(planner.length, 3);
      assert.match(briefOf(planner[1]), /Revise the plan/);
      assert.match(briefOf(planner[1]), /- T1 \[done\]/);
      const [refusal] = lastToolResults(planner[2]);
      assert.equal(refusal.is_error, true);
      assert.match(refusal.content, /Task "T1" is done and must stay in the plan unchanged/);
      const rejected = eventsOf(events, 'plan.rejected');
      assert.equal(rejected.length, 1);
      assert.ok(rejected[0].errors.some((e) => e.includes('"T1" is done')));

      const revised = eventsOf(events, 'plan.revised');
      assert.equal(revised.length, 1);
      assert.deepEqual({ added: revised[0].added, removed: revised[0].removed, changed: revised[0].changed }, { added: ['T3'], removed: ['T2'], changed: [] });
      const state = buildJson(workspace);
      assert.equal(state.planHistory.length, 2);
      assert.match(state.planHistory[1].reason, /^T2 failed/);
      assert.equal(state.tasks.T1.status, 'done');
      assert.equal(state.tasks.T1.attempts, 1, 'the done task was not run again');
      assert.equal(requestsOf(server, 'coder', 'T1').length, 2);
      assertNoRejects(server);
    } finally {
      await server.close();
    }
  });

  it('replans with a fix task when every task is done but the final checks fail', async () => {
    // A test that depends on run order: it passes the first time (the task's own check) and fails after.
    const orderDependent = [
      "const test = require('node:test');",
      "const fs = require('node:fs');",
      "const path = require('node:path');",
      "test('runs in a clean folder', () => {",
      "  const marker = path.join(__dirname, '.ran-before');",
      "  if (fs.existsSync(marker)) throw new Error('left state behind from an earlier run');",
      "  fs.writeFileSync(marker, 'x');",
      '});',
      '',
    ].join('\n');
    const server = await serve([
      planOf([task('T1', ['R1'], ['add.js', 'add.test.js', 'order.test.js'])]),
      ...writeAttempt('T1', { 'add.js': GOOD_ADD, 'add.test.js': ADD_TEST, 'order.test.js': orderDependent }),
      planOf([task('T1', ['R1'], ['add.js', 'add.test.js', 'order.test.js']), task('T2', ['R1'], ['order.test.js'], ['T1'])]),
      ...readWriteAttempt('T2', { 'order.test.js': passingTests(['runs in a clean folder']) }),
    ]);
    const workspace = brainWorkspace({ 'SPEC.md': specOf([ADD_REQ]) });
    try {
      const { manager, events } = managerFor(workspace, server);
      const result = await manager.start('SPEC.md');
      assert.equal(result.outcome, 'verified', result.reason);

      const planner = requestsOf(server, 'planner');
      assert.equal(planner.length, 2);
      const brief = briefOf(planner[1]);
      assert.match(brief, /every task is done but the final checks fail \(test\)/);
      assert.match(brief, /Revise the plan: add the missing tasks/);
      assert.match(brief, /- T1 \[done\]/);
      assert.equal(requestsOf(server, 'reflector').length, 0, 'no task failed, so no reflector');

      const revised = eventsOf(events, 'plan.revised');
      assert.equal(revised.length, 1);
      assert.deepEqual(revised[0].added, ['T2']);
      assert.deepEqual(revised[0].removed, []);
      const state = buildJson(workspace);
      assert.match(state.planHistory[1].reason, /every task is done but the final checks fail/);
      assert.equal(state.tasks.T1.attempts, 1);
      assert.equal(state.tasks.T2.status, 'done');
      assert.equal(attemptBriefs(server, 'T2').length, 1);
      assert.deepEqual(eventsOf(events, 'iteration.finished').map((e) => e.passed), [false, true]);
      assertNoRejects(server);
    } finally {
      await server.close();
    }
  });
});
