import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { ScriptTurn } from '../../../src/scripted/scriptTypes';
import { managerFor, serve, tool } from './helpers';
import {
  ADD_TEST,
  assertNoRejects,
  attempt,
  brainWorkspace,
  buildJson,
  changesJsonl,
  eventsOf,
  GOOD_ADD,
  lastToolResults,
  passingTests,
  planOf,
  requestsOf,
  specOf,
  startFinishOrder,
  task,
  waitFor,
  writeAttempt,
} from './brainHelpers';

const FOUR = specOf(['f1.js exports one.', 'f2.js exports two.', 'f3.js exports three.', 'f4.js exports four.']);

/** Four independent tasks; every coder turn takes 300 ms to answer. */
function fourTasks(): ScriptTurn[] {
  const ids = ['T1', 'T2', 'T3', 'T4'];
  return [
    planOf(ids.map((id, i) => task(id, [`R${i + 1}`], [`f${i + 1}.js`, `f${i + 1}.test.js`]))),
    ...ids.flatMap((id, i) => writeAttempt(id, { [`f${i + 1}.js`]: `exports.v = ${i + 1};\n`, [`f${i + 1}.test.js`]: passingTests([`f${i + 1} works`]) }, { latency_ms: 300 })),
  ];
}

describe('brain: parallel agents', function () {
  this.timeout(60_000);

  it('runs four independent tasks at once with parallel: 4', async () => {
    const server = await serve(fourTasks());
    const workspace = brainWorkspace({ 'SPEC.md': FOUR }, { reflection: false, parallel: 4 });
    try {
      const { manager, events } = managerFor(workspace, server);
      const result = await manager.start('SPEC.md');
      assert.equal(result.outcome, 'verified', result.reason);
      const order = startFinishOrder(events);
      assert.deepEqual(order.slice(0, 4).sort(), ['+T1', '+T2', '+T3', '+T4'], order.join(' '));
      // The first coder requests of all four tasks were in flight together.
      const firsts = ['T1', 'T2', 'T3', 'T4'].map((t) => requestsOf(server, 'coder', t)[0].at);
      assert.ok(Math.max(...firsts) - Math.min(...firsts) < 300, `first requests spread over ${Math.max(...firsts) - Math.min(...firsts)} ms`);
      assertNoRejects(server);
    } finally {
      await server.close();
    }
  });

  it('runs their agents one after another with parallel: 1 (a task waiting for its checks frees the slot)', async () => {
    const server = await serve(fourTasks());
    const workspace = brainWorkspace({ 'SPEC.md': FOUR }, { reflection: false, parallel: 1 });
    try {
      const { manager, events } = managerFor(workspace, server);
      const result = await manager.start('SPEC.md');
      assert.equal(result.outcome, 'verified', result.reason);
      assert.deepEqual(startFinishOrder(events).filter((x) => x.startsWith('+')), ['+T1', '+T2', '+T3', '+T4']);
      // One coder at a time: each task's model requests come together, never between another's.
      const byTask = requestsOf(server, 'coder').map((e) => e.task);
      assert.deepEqual(byTask.filter((t, i) => t !== byTask[i - 1]), ['T1', 'T2', 'T3', 'T4'], byTask.join(' '));
      assertNoRejects(server);
    } finally {
      await server.close();
    }
  });

  it('never runs tasks whose planned files overlap at the same time, even with parallel: 4', async () => {
    const spec = specOf(['shared.js exports one.', 'shared.js exports two.', 't3.js exports three.']);
    const server = await serve([
      planOf([task('T1', ['R1'], ['shared.js']), task('T2', ['R2'], ['shared.js', 't2.test.js']), task('T3', ['R3'], ['t3.js'])]),
      ...writeAttempt('T1', { 'shared.js': 'exports.one = 1;\n' }, { latency_ms: 300 }),
      ...attempt(
        'T2',
        [
          [tool('read_file', { path: 'shared.js' })],
          [tool('edit_file', { path: 'shared.js', old_text: 'exports.one = 1;\n', new_text: 'exports.one = 1;\nexports.two = 2;\n' }), tool('write_file', { path: 't2.test.js', content: passingTests(['two']) })],
        ],
        { latency_ms: 300 },
      ),
      ...writeAttempt('T3', { 't3.js': 'exports.three = 3;\n' }, { latency_ms: 300 }),
    ]);
    const workspace = brainWorkspace({ 'SPEC.md': spec }, { reflection: false, parallel: 4 });
    try {
      const { manager, events } = managerFor(workspace, server);
      const result = await manager.start('SPEC.md');
      assert.equal(result.outcome, 'verified', result.reason);
      const order = startFinishOrder(events);
      assert.ok(order.indexOf('-T1') < order.indexOf('+T2'), `T2 waited for T1: ${order.join(' ')}`);
      assert.ok(order.indexOf('+T3') < order.indexOf('-T1'), `T3 ran alongside T1: ${order.join(' ')}`);
      const lastT1 = Math.max(...requestsOf(server, 'coder', 'T1').map((e) => e.at));
      assert.ok(requestsOf(server, 'coder', 'T2').every((e) => e.at > lastT1));
      assert.equal(fs.readFileSync(path.join(workspace, 'shared.js'), 'utf8'), 'exports.one = 1;\nexports.two = 2;\n');
      assertNoRejects(server);
    } finally {
      await server.close();
    }
  });
});

describe('brain: two tasks editing one file', function () {
  this.timeout(60_000);

  it('refuses the blind second write as a conflict, and keeps both changes once it is merged', async () => {
    const spec = specOf(['`add(a, b)` in calc.js returns the sum.', '`mul(a, b)` in calc.js returns the product.']);
    const addTest = ADD_TEST.replace("require('./add')", "require('./calc')");
    const mulTest = "const test = require('node:test');\nconst assert = require('node:assert');\nconst { mul } = require('./calc');\ntest('multiplies', () => assert.strictEqual(mul(2, 3), 6));\n";
    const server = await serve([
      // Different planned files, so the two run in parallel; both end up writing calc.js.
      planOf([task('T1', ['R1'], ['calc.js', 'add.test.js']), task('T2', ['R2'], ['mul.test.js'])]),
      ...writeAttempt('T1', { 'calc.js': GOOD_ADD, 'add.test.js': addTest }),
      // T2 writes calc.js without reading it, after T1 has written it.
      { agent: 'coder', task: 'T2', latency_ms: 500, content: [tool('write_file', { path: 'calc.js', content: 'exports.mul = (a, b) => a * b;\n' })] },
      { agent: 'coder', task: 'T2', content: [tool('read_file', { path: 'calc.js' })], expect: { tool_results_contain: ['was changed by task T1'] } },
      ...attempt('T2', [
        [
          tool('edit_file', { path: 'calc.js', old_text: GOOD_ADD, new_text: `${GOOD_ADD}exports.mul = (a, b) => a * b;\n` }),
          tool('write_file', { path: 'mul.test.js', content: mulTest }),
        ],
      ]),
    ]);
    const workspace = brainWorkspace({ 'SPEC.md': spec }, { reflection: false, parallel: 2 });
    try {
      const { manager, events } = managerFor(workspace, server);
      const result = await manager.start('SPEC.md');
      assert.equal(result.outcome, 'verified', result.reason);
      const order = startFinishOrder(events);
      assert.ok(order.indexOf('+T2') < order.indexOf('-T1'), `they ran in parallel: ${order.join(' ')}`);

      const [conflict] = lastToolResults(requestsOf(server, 'coder', 'T2')[1]);
      assert.equal(conflict.is_error, true);
      assert.match(conflict.content, /The change to calc\.js was rejected: calc\.js was changed by task T1 after you last read it/);

      const calc = fs.readFileSync(path.join(workspace, 'calc.js'), 'utf8');
      assert.equal(calc, `${GOOD_ADD}exports.mul = (a, b) => a * b;\n`, 'both changes are in the file');

      const rejected = changesJsonl(workspace).filter((c) => c.status === 'rejected');
      assert.equal(rejected.length, 1);
      assert.deepEqual({ path: rejected[0].path, task: rejected[0].taskId, agent: rejected[0].agentId }, { path: 'calc.js', task: 'T2', agent: 'coder-T2-a1' });
      assert.match(rejected[0].reason, /changed by task T1/);
      assert.equal(buildJson(workspace).tasks.T2.attempts, 1);
      assertNoRejects(server);
    } finally {
      await server.close();
    }
  });
});

describe('brain: cancelling one agent', function () {
  this.timeout(60_000);

  it('escalates the cancelled agent’s task while the others finish', async () => {
    const spec = specOf(['`add(a, b)` in add.js returns the sum.', '`mul(a, b)` in mul.js returns the product.']);
    const server = await serve([
      planOf([task('T1', ['R1'], ['add.js', 'add.test.js']), task('T2', ['R2'], ['mul.js'])]),
      ...writeAttempt('T1', { 'add.js': GOOD_ADD, 'add.test.js': ADD_TEST }, { latency_ms: 200 }),
      ...writeAttempt('T2', { 'mul.js': 'exports.mul = (a, b) => a * b;\n' }, { latency_ms: 40_000 }),
    ]);
    const workspace = brainWorkspace({ 'SPEC.md': spec }, { reflection: false, parallel: 2 });
    try {
      const { manager, events } = managerFor(workspace, server);
      const started = Date.now();
      const running = manager.start('SPEC.md');
      await waitFor(() => manager.agentStates().some((a) => a.id === 'coder-T2-a1' && a.step === 'thinking'));
      const during = manager.agentStates();
      assert.equal(manager.cancelAgent('coder-T2-a1'), true);
      const result = await running;
      // The cancelled request would have taken 40 s to answer; ending well before proves the build did not wait for it.
      assert.ok(Date.now() - started < 30_000, 'the build waited for the cancelled request');

      const t2 = during.find((a) => a.id === 'coder-T2-a1')!;
      assert.deepEqual({ role: t2.role, taskId: t2.taskId, step: t2.step }, { role: 'coder', taskId: 'T2', step: 'thinking' });
      assert.ok(!Number.isNaN(Date.parse(t2.since)));
      assert.ok(t2.history.length > 0 && t2.history.every((h) => !Number.isNaN(Date.parse(h.at))));
      const planner = during.find((a) => a.id === 'planner')!;
      assert.equal(planner.step, 'done');
      assert.deepEqual(planner.history.map((h) => h.step), ['thinking', 'acting', 'done']);

      const state = buildJson(workspace);
      assert.equal(state.tasks.T1.status, 'done');
      assert.equal(state.tasks.T2.status, 'escalated');
      assert.match(state.tasks.T2.escalated, /agent coder-T2-a1 was cancelled by the user/);
      assert.ok(eventsOf(events, 'task.finished').some((e) => e.taskId === 'T2' && e.status === 'escalated' && /cancelled by the user/.test(e.reason ?? '')));

      assert.equal(result.outcome, 'unmet');
      assert.match(result.reason, /T2 escalated/);
      const r2 = result.requirements.find((r) => r.id === 'R2')!;
      assert.equal(r2.verdict, 'failed');
      assert.match(r2.reason ?? '', /task T2 escalated: .*cancelled by the user/);
      assert.equal(manager.cancelAgent('coder-T2-a1'), false, 'nothing left to cancel once the build ended');
      assert.equal(requestsOf(server, 'coder', 'T2').length, 0, 'the cancelled request was never answered');
      assertNoRejects(server);
      // T1 is done and the iteration's checks passed: R1 was verified and must stay so.
      const r1 = result.requirements.find((r) => r.id === 'R1')!;
      assert.equal(r1.verdict, 'verified', `R1: ${r1.verdict} (${r1.reason})`);
      assert.deepEqual(result.unmet, ['R2'], 'only the requirement T2 served is unmet');
    } finally {
      await server.close();
    }
  });
});
