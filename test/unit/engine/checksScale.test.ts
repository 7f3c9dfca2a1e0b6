import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { MuneroEvent } from '../../../src/core';
import type { ScriptedServer } from '../../../src/scripted/server';
import { managerFor, serve } from './helpers';
import { assertNoRejects, brainWorkspace, eventsOf, planOf, specOf, task, writeAttempt } from './brainHelpers';

/** A node:test file that appends its own name to ran.log when it runs; `waitMs` makes the run last. */
function recordingTest(name: string, imports: string[], waitMs = 0): string {
  return [
    "const test = require('node:test');",
    "const fs = require('node:fs');",
    "const path = require('node:path');",
    ...imports.map((i) => `require(${JSON.stringify(i)});`),
    `fs.appendFileSync(path.join(__dirname, '..', 'ran.log'), ${JSON.stringify(`${name}\n`)});`,
    `test(${JSON.stringify(`${name} runs`)}, async () => { await new Promise((r) => setTimeout(r, ${waitMs})); });`,
    '',
  ].join('\n');
}

/**
 * A node:test file that passes only if `other` starts running while it runs: it marks its own
 * start, then waits (up to 20 s) for the other's mark. Two check runs that do not overlap fail it.
 */
function meetingTest(name: string, other: string): string {
  return waitingTest(`${name}.started`, `${other}.started`);
}

/** A node:test file that marks `mark` (if given), then passes once `awaited` (workspace-relative) exists, failing after 20 s. */
function waitingTest(mark: string | undefined, awaited: string): string {
  return [
    "const test = require('node:test');",
    "const fs = require('node:fs');",
    "const path = require('node:path');",
    `const at = (rel) => path.join(__dirname, '..', rel);`,
    mark ? `fs.writeFileSync(at(${JSON.stringify(mark)}), '');` : '',
    `test(${JSON.stringify(`${awaited} appears`)}, async () => {`,
    `  for (let i = 0; i < 200 && !fs.existsSync(at(${JSON.stringify(awaited)})); i++) await new Promise((r) => setTimeout(r, 100));`,
    `  if (!fs.existsSync(at(${JSON.stringify(awaited)}))) throw new Error(${JSON.stringify(`${awaited} never appeared`)});`,
    '});',
    '',
  ].join('\n');
}

/**
 * The test files each check run actually ran, by scope: read from ran.log when the run's
 * validation.finished event is emitted (runs do not overlap unless the test allows it).
 */
function recordRuns(workspace: string, events: { subscribe: (f: (e: MuneroEvent) => void) => unknown }): Map<string, string[]> {
  const runs = new Map<string, string[]>();
  events.subscribe((e) => {
    if (e.type !== 'validation.finished') return;
    const log = path.join(workspace, 'ran.log');
    const ran = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n').sort() : [];
    fs.rmSync(log, { force: true });
    runs.set(e.scope, ran);
  });
  return runs;
}

/** Builds the spec to a verified end, recording what each check run ran. */
async function verifiedBuild(workspace: string, server: ScriptedServer): Promise<{ events: MuneroEvent[]; runs: Map<string, string[]> }> {
  const { manager, events } = managerFor(workspace, server);
  const runs = recordRuns(workspace, manager.bus.events$);
  const result = await manager.start('SPEC.md');
  assert.equal(result.outcome, 'verified', result.reason);
  return { events, runs };
}

/** Which check runs were open at once: for each validation.started, the scopes already running. */
function overlaps(events: MuneroEvent[]): string[] {
  const open = new Set<string>();
  const found: string[] = [];
  for (const e of events) {
    if (e.type === 'validation.started') {
      if (open.size) found.push(`${e.scope} while ${[...open].join(', ')}`);
      open.add(e.scope);
    } else if (e.type === 'validation.finished') open.delete(e.scope);
  }
  return found;
}

describe('checks that scale', function () {
  this.timeout(120_000);

  it('a change to src/a.js runs test/a.test.js and the tests importing src/a.js, not the rest; the iteration runs them all', async () => {
    const spec = specOf(['src/a.js exports a().', 'src/b.js exports b().']);
    const server = await serve([
      planOf([task('T1', ['R1'], ['src/a.js']), task('T2', ['R2'], ['src/b.js'], ['T1'])]),
      ...writeAttempt('T1', { 'src/a.js': 'exports.a = () => 2;\n' }),
      ...writeAttempt('T2', { 'src/b.js': 'exports.b = () => 3;\n' }),
    ]);
    const workspace = brainWorkspace(
      {
        'SPEC.md': spec,
        'src/a.js': 'exports.a = () => 1;\n',
        'src/b.js': 'exports.b = () => 1;\n',
        'test/a.test.js': recordingTest('test/a.test.js', ['../src/a']),
        'test/helper.js': "module.exports = require('../src/a');\n",
        'test/via-helper.test.js': recordingTest('test/via-helper.test.js', ['./helper']),
        'test/b.test.js': recordingTest('test/b.test.js', ['../src/b']),
        'test/other.test.js': recordingTest('test/other.test.js', []),
        '.gitignore': 'ran.log\n',
      },
      { reflection: false, traceability: false },
    );
    try {
      const { events, runs } = await verifiedBuild(workspace, server);
      assert.deepEqual(runs.get('task T1'), ['test/a.test.js', 'test/via-helper.test.js']);
      assert.deepEqual(runs.get('task T2'), ['test/b.test.js']);
      assert.deepEqual(runs.get('iteration 1'), ['test/a.test.js', 'test/b.test.js', 'test/other.test.js', 'test/via-helper.test.js'], 'the frozen full suite ends the iteration');
      const started = eventsOf(events, 'validation.started');
      const t1 = started.find((e) => e.scope === 'task T1')!.selection;
      assert.equal(t1?.mode, 'affected');
      assert.equal(t1?.mode === 'affected' && t1.why['test/via-helper.test.js'], 'imports src/a.js');
      assert.deepEqual(started.find((e) => e.scope === 'iteration 1')!.selection, { mode: 'full', reason: 'the whole frozen suite ends each iteration' });
      const logged = eventsOf(events, 'log').map((e) => e.message).join('\n');
      assert.match(logged, /checks for task T1: 3 of 5 test files by node --test: test\/a\.test\.js \(imports src\/a\.js\)/);
      assertNoRejects(server);
    } finally {
      await server.close();
    }
  });

  it('checks.affectedOnly: false keeps the old behaviour (the whole suite after each task), and says so', async () => {
    const server = await serve([planOf([task('T1', ['R1'], ['src/a.js'])]), ...writeAttempt('T1', { 'src/a.js': 'exports.a = () => 2;\n' })]);
    const workspace = brainWorkspace(
      {
        'SPEC.md': specOf(['src/a.js exports a().']),
        'test/a.test.js': recordingTest('test/a.test.js', ['../src/a']),
        'test/other.test.js': recordingTest('test/other.test.js', []),
        '.gitignore': 'ran.log\n',
      },
      { reflection: false, traceability: false, checks: { affectedOnly: false } },
    );
    try {
      const { events, runs } = await verifiedBuild(workspace, server);
      assert.deepEqual(runs.get('task T1'), ['test/a.test.js', 'test/other.test.js']);
      assert.match(eventsOf(events, 'log').map((e) => e.message).join('\n'), /checks for task T1: the whole test suite \(checks\.affectedOnly is false in \.munero\/config\.json\)/);
    } finally {
      await server.close();
    }
  });

  /**
   * Two independent tasks, each with a test that takes a while, or that waits to meet the other
   * task's test, or that waits for the other task's source file (written only once it started).
   */
  async function twoSlowTasks(config: Record<string, unknown>, tests: 'slow' | 'meet' | 'other-source' = 'slow') {
    const testOf = (mine: string, other: string) =>
      tests === 'meet' ? meetingTest(mine, other) : tests === 'other-source' ? waitingTest(undefined, `src/${other}.js`) : recordingTest(`test/${mine}.test.js`, [`../src/${mine}`], 1500);
    const server = await serve([
      planOf([task('T1', ['R1'], ['src/one.js', 'test/one.test.js']), task('T2', ['R2'], ['src/two.js', 'test/two.test.js'])]),
      ...writeAttempt('T1', { 'src/one.js': 'exports.one = 1;\n', 'test/one.test.js': testOf('one', 'two') }),
      ...writeAttempt('T2', { 'src/two.js': 'exports.two = 2;\n', 'test/two.test.js': testOf('two', 'one') }),
    ]);
    const workspace = brainWorkspace({ 'SPEC.md': specOf(['src/one.js exports one.', 'src/two.js exports two.']), '.gitignore': 'ran.log\n*.started\n' }, { reflection: false, traceability: false, ...config });
    try {
      return (await verifiedBuild(workspace, server)).events;
    } finally {
      await server.close();
    }
  }

  it('with checks.overlap: true the two tasks’ check runs overlap', async () => {
    // Each task's test passes only if the other's runs meanwhile, so the build is verified only if the runs overlapped.
    const events = await twoSlowTasks({ parallel: 2, checks: { overlap: true } }, 'meet');
    const found = overlaps(events);
    assert.ok(found.some((o) => /^task T\d while task T\d$/.test(o)), `runs overlapped: ${found.join('; ') || 'none'}`);
  });

  it('by default check runs never overlap', async () => {
    const events = await twoSlowTasks({ parallel: 2 });
    assert.deepEqual(overlaps(events), []);
    assert.ok(eventsOf(events, 'validation.started').length >= 2);
  });

  it('a task waiting for its checks does not hold back a ready task, even with parallel: 1', async () => {
    // The first task's test passes only once the second task's coder has written its file.
    const events = await twoSlowTasks({ parallel: 1 }, 'other-source');
    const order = events
      .filter((e) => e.type === 'task.started' || e.type === 'validation.started' || e.type === 'validation.finished')
      .map((e) => (e.type === 'task.started' ? `+${e.taskId}` : `${e.type === 'validation.started' ? 'check' : 'checked'} ${(e as { scope: string }).scope}`));
    const firstCheckDone = order.findIndex((x) => x.startsWith('checked task'));
    const secondStart = order.indexOf(order.filter((x) => x.startsWith('+'))[1]);
    assert.ok(secondStart >= 0 && secondStart < firstCheckDone, `the second task started while the first waited on its checks: ${order.join(' ')}`);
  });
});
