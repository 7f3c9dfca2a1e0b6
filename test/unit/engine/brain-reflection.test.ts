import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { BROKEN_ADD, managerFor, serve } from './helpers';
import {
  ADD_TEST,
  assertNoRejects,
  attemptBriefs,
  brainConfig,
  brainWorkspace,
  briefOf,
  buildJson,
  eventsOf,
  failingTests,
  GOOD_ADD,
  patternsJson,
  planOf,
  reflectorTurn,
  requestsOf,
  specOf,
  task,
  writeAttempt,
} from './brainHelpers';

const ADD_REQ = '`add(a, b)` in add.js returns the sum of two numbers.';

/** The "Reflections on earlier attempts" section of a coder brief: the attempt numbers it lists. */
function reflectedAttempts(brief: string): number[] {
  const start = brief.indexOf('Reflections on earlier attempts');
  if (start < 0) return [];
  const section = brief.slice(start).split('\n\n')[0];
  return [...section.matchAll(/^- attempt (\d+):/gm)].map((m) => Number(m[1]));
}

describe('brain: reflection on failed attempts', function () {
  this.timeout(60_000);

  it('asks the reflector about a failed attempt, stores the reflection and feeds its lesson to the next attempt', async () => {
    const lesson = 'LESSON-ALPHA: check the arithmetic operator against the requirement text.';
    const server = await serve([
      planOf([task('T1', ['R1'], ['add.js', 'add.test.js'])]),
      ...writeAttempt('T1', { 'add.js': BROKEN_ADD, 'add.test.js': ADD_TEST }),
      reflectorTurn('T1', { root_cause: 'add.js subtracts instead of adding.', lesson, next_action: 'retry' }),
      ...writeAttempt('T1', { 'add.js': GOOD_ADD }),
    ]);
    const workspace = brainWorkspace({ 'SPEC.md': specOf([ADD_REQ]) });
    try {
      const { manager, events } = managerFor(workspace, server);
      const result = await manager.start('SPEC.md');
      assert.equal(result.outcome, 'verified', result.reason);

      // The reflector was asked once, about T1, with the failure and the change that was tried.
      const reflector = requestsOf(server, 'reflector');
      assert.equal(reflector.length, 1);
      assert.equal(reflector[0].task, 'T1');
      const reflectorBrief = briefOf(reflector[0]);
      assert.match(reflectorBrief, /Attempt 1 failed/);
      assert.match(reflectorBrief, /\badds\b/, 'the failing test name');
      assert.match(reflectorBrief, /--- add\.js \(created\)/, 'the changed file');
      assert.match(reflectorBrief, /\+ exports\.add = \(a, b\) => a - b;/, 'the change itself');

      // Saved on the task in build.json …
      const reflections = buildJson(workspace).tasks.T1.reflections;
      assert.equal(reflections.length, 1);
      assert.deepEqual({ attempt: reflections[0].attempt, lesson: reflections[0].lesson, next: reflections[0].next_action }, { attempt: 1, lesson, next: 'retry' });
      // … emitted as an event, before the second attempt starts …
      const reflection = eventsOf(events, 'reflection');
      assert.equal(reflection.length, 1);
      assert.equal(reflection[0].taskId, 'T1');
      assert.equal(reflection[0].lesson, lesson);
      assert.equal(reflection[0].nextAction, 'retry');
      const secondStart = eventsOf(events, 'task.started').find((e) => e.attempt === 2)!;
      assert.ok(reflection[0].seq < secondStart.seq);

      // … and given to the next coder attempt.
      const briefs = attemptBriefs(server, 'T1');
      assert.equal(briefs.length, 2);
      assert.doesNotMatch(briefs[0], /Reflections on earlier attempts/);
      assert.match(briefs[1], /Reflections on earlier attempts/);
      assert.ok(briefs[1].includes(lesson), briefs[1]);
      assert.deepEqual(reflectedAttempts(briefs[1]), [1]);
      assertNoRejects(server);
    } finally {
      await server.close();
    }
  });

  it('gives only the newest three reflections back to an attempt', async () => {
    // Four failing attempts with distinct failures and fewer failing tests each time, so neither
    // the same-failure guard nor the no-progress guard stops the task before the fifth attempt.
    const failures = [
      ['alpha one', 'alpha two', 'alpha three', 'alpha four'],
      ['bravo one', 'bravo two', 'bravo three'],
      ['charlie one', 'charlie two'],
      ['delta one'],
    ];
    const turns = failures.flatMap((names, i) => [
      ...writeAttempt('T1', { 'add.js': BROKEN_ADD, 'add.test.js': failingTests(names) }),
      reflectorTurn('T1', { root_cause: `root cause ${'ABCD'[i]}.`, lesson: `LESSON-${'ABCD'[i]} for attempt ${i + 1}.`, next_action: 'retry' }),
    ]);
    const server = await serve([
      planOf([task('T1', ['R1'], ['add.js', 'add.test.js'])]),
      ...turns,
      ...writeAttempt('T1', { 'add.js': GOOD_ADD, 'add.test.js': ADD_TEST }),
    ]);
    const workspace = brainWorkspace({ 'SPEC.md': specOf([ADD_REQ], 6) });
    try {
      const { manager, events } = managerFor(workspace, server);
      const result = await manager.start('SPEC.md');
      assert.equal(result.outcome, 'verified', result.reason);
      assert.equal(eventsOf(events, 'reflection').length, 4);
      assert.equal(buildJson(workspace).tasks.T1.reflections.length, 4, 'all four are kept on the task');

      const briefs = attemptBriefs(server, 'T1');
      assert.equal(briefs.length, 5);
      assert.deepEqual(briefs.map(reflectedAttempts), [[], [1], [1, 2], [1, 2, 3], [2, 3, 4]]);
      const section = (b: string) => b.slice(b.indexOf('Reflections on earlier attempts')).split('\n\n')[0];
      assert.ok(section(briefs[3]).includes('LESSON-C for attempt 3'));
      assert.ok(!section(briefs[4]).includes('LESSON-A'), 'the oldest reflection is no longer sent');
      assert.ok(section(briefs[4]).includes('LESSON-D for attempt 4'));

      // The reflector itself sees the newest three earlier reflections too.
      const reflectorBriefs = requestsOf(server, 'reflector').map(briefOf);
      assert.equal(reflectorBriefs.length, 4);
      assert.doesNotMatch(reflectorBriefs[0], /Earlier reflections/);
      assert.deepEqual([...reflectorBriefs[3].matchAll(/^- attempt (\d+) \(retry\)/gm)].map((m) => Number(m[1])), [1, 2, 3]);
      assertNoRejects(server);
    } finally {
      await server.close();
    }
  });
});

describe('brain: learning across builds', function () {
  this.timeout(60_000);

  it("gives build 1's lesson to build 2's retry of the same failure, and promotes it when that retry passes", async () => {
    const lesson = 'LESSON-CROSS: an adder must use the plus operator.';
    const workspace = brainWorkspace({ 'SPEC.md': specOf([ADD_REQ]) });

    const server1 = await serve([
      planOf([task('T1', ['R1'], ['add.js', 'add.test.js'])]),
      ...writeAttempt('T1', { 'add.js': BROKEN_ADD, 'add.test.js': ADD_TEST }),
      reflectorTurn('T1', { root_cause: 'The operator was wrong.', lesson, next_action: 'retry' }),
      ...writeAttempt('T1', { 'add.js': GOOD_ADD }),
    ]);
    try {
      const first = await managerFor(workspace, server1).manager.start('SPEC.md');
      assert.equal(first.outcome, 'verified', first.reason);
      assertNoRejects(server1);
    } finally {
      await server1.close();
    }
    const stored = patternsJson(workspace).patterns.flatMap((p) => p.lessons).filter((l) => l.text === lesson);
    assert.equal(stored.length, 1, 'the lesson is stored in .munero/learning/patterns.json');
    const promotedBefore = stored[0].promoted;

    // Build 2: no reflector this time, so a lesson in the brief can only come from build 1.
    fs.writeFileSync(path.join(workspace, '.munero', 'config.json'), brainConfig({ reflection: false }));
    const server2 = await serve([
      planOf([task('T1', ['R1'], ['add.js', 'add.test.js'])]),
      ...writeAttempt('T1', { 'add.js': BROKEN_ADD, 'add.test.js': ADD_TEST }),
      ...writeAttempt('T1', { 'add.js': GOOD_ADD }),
    ]);
    try {
      const { manager, events } = managerFor(workspace, server2);
      const second = await manager.start('SPEC.md');
      assert.equal(second.outcome, 'verified', second.reason);
      const briefs = attemptBriefs(server2, 'T1');
      assert.equal(briefs.length, 2);
      assert.doesNotMatch(briefs[0], /Lessons learnt/);
      assert.match(briefs[1], /Lessons learnt from similar failures/);
      assert.ok(briefs[1].includes(lesson), briefs[1]);
      assert.doesNotMatch(briefs[1], /Reflections on earlier attempts/);
      assert.ok(eventsOf(events, 'learning').some((e) => /T1: a lesson from earlier failures given to attempt 2/.test(e.message)));
      assert.equal(requestsOf(server2, 'reflector').length, 0);
      assertNoRejects(server2);
    } finally {
      await server2.close();
    }
    const after = patternsJson(workspace).patterns.flatMap((p) => p.lessons).find((l) => l.text === lesson)!;
    assert.equal(after.promoted, promotedBefore + 1, 'the lesson was promoted after the attempt that used it passed');
    assert.equal(after.demoted, 0);
  });

  it('reports a failure that recurs across three tasks', async () => {
    const spec = specOf(['a.js exports a.', 'b.js exports b.', 'c.js exports c.'], 1);
    const missing = "const test = require('node:test');\nconst lib = require('./lib-that-does-not-exist');\ntest('uses lib', () => lib());\n";
    const server = await serve([
      planOf([task('T1', ['R1'], ['a.js']), task('T2', ['R2'], ['b.js']), task('T3', ['R3'], ['c.js'])]),
      ...writeAttempt('T1', { 'a.js': 'exports.a = 1;\n', 'lib.test.js': missing }),
      ...writeAttempt('T2', { 'b.js': 'exports.b = 2;\n' }),
      ...writeAttempt('T3', { 'c.js': 'exports.c = 3;\n' }),
    ]);
    const workspace = brainWorkspace({ 'SPEC.md': spec }, { reflection: false, parallel: 1 });
    try {
      const { manager, events } = managerFor(workspace, server);
      const result = await manager.start('SPEC.md');
      assert.equal(result.outcome, 'unmet');
      const pattern = patternsJson(workspace).patterns.find((p) => p.tasks.length === 3);
      assert.ok(pattern, JSON.stringify(patternsJson(workspace)));
      assert.deepEqual(pattern.tasks.map((t) => t.split('/')[1]).sort(), ['T1', 'T2', 'T3']);
      const learning = eventsOf(events, 'learning').filter((e) => /recurring failure/.test(e.message));
      assert.equal(learning.length, 1, JSON.stringify(learning));
      assert.match(learning[0].message, /missing import seen in 3 tasks/);
      assertNoRejects(server);
    } finally {
      await server.close();
    }
  });
});
