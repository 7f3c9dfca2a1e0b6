import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BuildManager, buildReport, type MuneroEvent } from '../../../src/core';
import type { ScriptedServer } from '../../../src/scripted/server';
import type { ScriptTurn } from '../../../src/scripted/scriptTypes';
import { ADD_TEST, assertNoRejects, attempt, buildDir, eventsOf, GOOD_ADD, planOf, readWriteAttempt, task, writeAttempt } from './brainHelpers';
import { makeWorkspace, repoRoot, serve, tool } from './helpers';

/** A spec whose test command comes from package.json (`npm test`) unless `testCommand` is given. */
function spec(testCommand?: string, maxIterations = 2): string {
  return ['---', ...(testCommand ? [`test_command: ${testCommand}`] : []), `max_iterations: ${maxIterations}`, '---', '# adder', '', '## Requirements', '', '- R1: `add(a, b)` in add.js returns the sum of two numbers.', ''].join('\n');
}

const PASSING_EXTRA = "const test = require('node:test');\ntest('still here', () => {});\n";
const PACKAGE = JSON.stringify({ name: 'adder', scripts: { test: 'node --test' } }, null, 2);

function manager(workspace: string, server: ScriptedServer, allowCommands: string[] = []): { manager: BuildManager; events: MuneroEvent[] } {
  const m = new BuildManager({ workspaceRoot: workspace, env: { apiKey: 'test-key', baseURL: server.url, allowCommands } });
  const events: MuneroEvent[] = [];
  m.bus.events$.subscribe((e) => events.push(e));
  return { manager: m, events };
}

async function withServer(turns: ScriptTurn[], body: (server: ScriptedServer) => Promise<void>): Promise<void> {
  const server = await serve(turns);
  try {
    await body(server);
    assertNoRejects(server);
  } finally {
    await server.close();
  }
}

describe('the judge frozen at the start', function () {
  this.timeout(30_000);

  it('judges by the test script recorded at the start, not the `exit 0` a coder rewrote it to', async () => {
    const workspace = makeWorkspace({
      'SPEC.md': spec(undefined, 1),
      'package.json': PACKAGE,
      'add.js': 'exports.add = (a, b) => a - b;\n',
      'add.test.js': ADD_TEST,
    });
    const hostile = JSON.stringify({ name: 'adder', scripts: { test: 'exit 0' } });
    await withServer([planOf([task('T1', ['R1'], ['add.js'])]), ...writeAttempt('T1', { 'package.json': hostile })], async (server) => {
      const { manager: m, events } = manager(workspace, server);
      const result = await m.start('SPEC.md');
      assert.notEqual(result.outcome, 'verified');
      assert.notEqual(result.requirements[0].verdict, 'verified', result.requirements[0].reason);
      assert.match(fs.readFileSync(path.join(workspace, 'package.json'), 'utf8'), /exit 0/, 'the hostile script is in place');
      const [frozen] = eventsOf(events, 'judge.frozen');
      assert.deepEqual(frozen.checks.map((c) => [c.command, c.run]), [['npm test', 'node --test']]);
      const runs = eventsOf(events, 'validation.finished');
      assert.equal(runs.at(-1)!.checks[0].command, 'node --test');
      assert.equal(runs.at(-1)!.checks[0].passed, false, 'the real test ran, and failed');
      const flagged = eventsOf(events, 'test.flagged');
      assert.deepEqual(flagged.map((f) => [f.kind, f.file, f.taskId]), [['config', 'package.json#scripts.test', 'T1']]);
      const report = buildReport(m.status()!);
      assert.match(report, /## Judge/);
      assert.match(report, /\*\*test:\*\* `node --test` for `npm test` — recorded at the start from package\.json scripts\.test/);
      assert.match(report, /\| package\.json#scripts\.test \| judge configuration changed \| T1 \| awaiting approval/);
    });
  });

  it('flags a deleted test: unverified until approved, verified on resume with --allow-test-changes', async () => {
    const workspace = makeWorkspace({ 'SPEC.md': spec('node --test'), 'add.js': GOOD_ADD, 'add.test.js': ADD_TEST, 'extra.test.js': PASSING_EXTRA });
    const turns = [planOf([task('T1', ['R1'], ['add.js'])]), ...attempt('T1', [[tool('run_command', { command: 'rm add.test.js' })]])];
    await withServer(turns, async (server) => {
      const first = manager(workspace, server, ['rm *']);
      const paused = await first.manager.start('SPEC.md');
      assert.equal(fs.existsSync(path.join(workspace, 'add.test.js')), false);
      assert.equal(paused.outcome, 'paused', paused.reason);
      assert.match(paused.reason, /test add\.test\.js was weakened \(deleted by T1\)/);
      assert.equal(paused.requirements[0].verdict, 'unverified');
      assert.equal(paused.requirements[0].reason, 'test add.test.js was weakened (deleted by T1); approve with --allow-test-changes');
      const [flag] = eventsOf(first.events, 'test.flagged');
      assert.deepEqual([flag.kind, flag.file, flag.change, flag.taskId], ['deleted', 'add.test.js', 'deleted', 'T1']);

      const requests = server.log.length;
      const second = manager(workspace, server, ['rm *']);
      const resumed = await second.manager.resume({ allowTestChanges: true });
      assert.equal(resumed.outcome, 'verified', resumed.reason);
      assert.equal(resumed.requirements[0].verdict, 'verified');
      assert.equal(server.log.length, requests, 'the approval needed no model request');
      const state = second.manager.status()!;
      assert.equal(state.judge!.flags[0].approved?.by, 'allow-test-changes');
      assert.match(buildReport(state), /\| add\.test\.js \| deleted \| T1 \| approved \(--allow-test-changes\) \|/);
    });
  });

  it('flags a `.skip` added to a test; the user approves it through the BuildManager and the resume verifies', async () => {
    const workspace = makeWorkspace({ 'SPEC.md': spec('node --test'), 'add.js': 'exports.add = (a, b) => a - b;\n', 'add.test.js': ADD_TEST });
    const skipped = ADD_TEST.replace("test('adds'", "test.skip('adds'");
    await withServer([planOf([task('T1', ['R1'], ['add.js'])]), ...writeAttempt('T1', { 'add.test.js': skipped })], async (server) => {
      const first = manager(workspace, server);
      const paused = await first.manager.start('SPEC.md');
      assert.equal(paused.outcome, 'paused', 'the skipped test passes, but the build waits for the approval');
      assert.equal(paused.requirements[0].reason, 'test add.test.js was weakened (.skip added by T1); approve with --allow-test-changes');
      const approved = first.manager.approveTestChanges([eventsOf(first.events, 'test.flagged')[0].flagId]);
      assert.deepEqual(approved.map((f) => f.file), ['add.test.js']);
      const before = first.manager.testChangeBefore(approved[0].id);
      assert.equal(before?.before, ADD_TEST, 'the test as it was, for a diff');

      const resumed = await manager(workspace, server).manager.resume();
      assert.equal(resumed.outcome, 'verified', resumed.reason);
      assert.equal(resumed.requirements[0].verdict, 'verified');
    });
  });

  it('with --allow-test-changes from the start, a weakened test is approved at once and the build verifies', async () => {
    const workspace = makeWorkspace({ 'SPEC.md': spec('node --test'), 'add.js': GOOD_ADD, 'add.test.js': ADD_TEST + "test('more', () => assert.ok(true));\n" });
    await withServer([planOf([task('T1', ['R1'], ['add.js'])]), ...writeAttempt('T1', { 'add.test.js': ADD_TEST })], async (server) => {
      const { manager: m, events } = manager(workspace, server);
      const result = await m.start('SPEC.md', { allowTestChanges: true });
      assert.equal(result.outcome, 'verified', result.reason);
      const [flag] = eventsOf(events, 'test.flagged');
      assert.equal(flag.change, '1 test case fewer, 1 assertion fewer');
      assert.deepEqual(eventsOf(events, 'test.approved').map((e) => [e.file, e.by]), [['add.test.js', 'allow-test-changes']]);
    });
  });

  it('flags a recorded test that now ends the process at its top (`process.exit(0)`), which no count sees', async () => {
    const workspace = makeWorkspace({ 'SPEC.md': spec('node --test', 1), 'add.js': 'exports.add = (a, b) => a - b;\n', 'add.test.js': ADD_TEST });
    await withServer([planOf([task('T1', ['R1'], ['add.js'])]), ...writeAttempt('T1', { 'add.test.js': `process.exit(0);\n${ADD_TEST}` })], async (server) => {
      const { manager: m, events } = manager(workspace, server);
      const result = await m.start('SPEC.md');
      assert.equal(eventsOf(events, 'validation.finished').at(-1)!.checks[0].passed, true, 'the exit hides the failing test from node --test');
      assert.notEqual(result.outcome, 'verified');
      assert.equal(result.requirements[0].reason, 'test add.test.js was changed (content changed by T1); approve with --allow-test-changes');
      assert.deepEqual(eventsOf(events, 'test.flagged').map((f) => [f.kind, f.file, f.change]), [['changed', 'add.test.js', 'content changed']]);
    });
  });

  it('judges by the runner in node_modules/.bin as it was at the start: a runner swapped for `exit 0` is flagged', async () => {
    const runner = '#!/bin/sh\nexec node --test\n';
    const workspace = makeWorkspace({
      'SPEC.md': spec(undefined, 1),
      'package.json': JSON.stringify({ name: 'adder', scripts: { test: 'runtests' } }),
      'node_modules/.bin/runtests': runner,
      'pass.sh': '#!/bin/sh\nexit 0\n',
      'add.js': 'exports.add = (a, b) => a - b;\n',
      'add.test.js': ADD_TEST,
    });
    fs.chmodSync(path.join(workspace, 'node_modules/.bin/runtests'), 0o755);
    const turns = [planOf([task('T1', ['R1'], ['add.js'])]), ...attempt('T1', [[tool('run_command', { command: 'cp pass.sh node_modules/.bin/runtests' })]])];
    await withServer(turns, async (server) => {
      const { manager: m, events } = manager(workspace, server, ['cp *']);
      const result = await m.start('SPEC.md');
      assert.equal(fs.readFileSync(path.join(workspace, 'node_modules/.bin/runtests'), 'utf8'), '#!/bin/sh\nexit 0\n', 'the runner was swapped');
      assert.equal(eventsOf(events, 'validation.finished').at(-1)!.checks[0].passed, true, 'the swapped runner passes');
      assert.notEqual(result.outcome, 'verified');
      assert.equal(result.requirements[0].reason, "the judge's configuration node_modules/.bin/runtests was changed (test runner changed by T1); approve with --allow-test-changes");
    });
  });

  it('needs no approval for a new test file; an existing test file extended is flagged gently and verifies once allowed', async () => {
    const workspace = makeWorkspace({ 'SPEC.md': spec('node --test'), 'add.js': GOOD_ADD, 'add.test.js': ADD_TEST });
    const extended = `${ADD_TEST}test('adds zero', () => assert.strictEqual(add(0, 0), 0));\n`;
    const subTest = "const test = require('node:test');\nconst assert = require('node:assert');\ntest('sub', () => assert.strictEqual(require('./sub').sub(3, 2), 1));\n";
    const turns = [
      planOf([task('T1', ['R1'], ['sub.js']), task('T2', ['R1'], ['add.test.js'], ['T1'])]),
      ...writeAttempt('T1', { 'sub.js': 'exports.sub = (a, b) => a - b;\n', 'sub.test.js': subTest }),
      ...readWriteAttempt('T2', { 'add.test.js': extended }),
    ];
    await withServer(turns, async (server) => {
      const first = manager(workspace, server);
      const paused = await first.manager.start('SPEC.md');
      assert.equal(paused.outcome, 'paused', paused.reason);
      assert.deepEqual(eventsOf(first.events, 'test.flagged').map((f) => [f.kind, f.file, f.change, f.taskId]), [['changed', 'add.test.js', 'content changed: 1 test case added, 1 assertion added', 'T2']]);
      const resumed = await manager(workspace, server).manager.resume({ allowTestChanges: true });
      assert.equal(resumed.outcome, 'verified', resumed.reason);
    });
  });

  it('freezes a test command the first task creates, after its first run, and a later rewrite changes nothing', async () => {
    const workspace = makeWorkspace({ 'SPEC.md': spec(undefined, 2) });
    const hostile = JSON.stringify({ name: 'adder', scripts: { test: 'exit 0' } });
    const turns = [
      planOf([task('T1', ['R1'], ['add.js', 'package.json']), task('T2', ['R1'], ['add.js', 'package.json'], ['T1'])]),
      ...writeAttempt('T1', { 'package.json': PACKAGE, 'add.js': GOOD_ADD, 'add.test.js': ADD_TEST }),
      ...readWriteAttempt('T2', { 'package.json': hostile, 'add.js': 'exports.add = () => 0;\n' }),
    ];
    await withServer(turns, async (server) => {
      const { manager: m, events } = manager(workspace, server);
      const result = await m.start('SPEC.md');
      const frozen = eventsOf(events, 'judge.frozen');
      assert.equal(frozen[0].checks.length, 0, 'no check at the start');
      assert.deepEqual([frozen[1].later, frozen[1].checks[0].run], ['task T1', 'node --test']);
      const state = m.status()!;
      assert.deepEqual(state.tasks.T1.status, 'done');
      assert.notEqual(state.tasks.T2.status, 'done', 'T2 is judged by the frozen `node --test`, not its `exit 0`');
      assert.notEqual(result.outcome, 'verified');
      assert.equal(state.judge!.checks[0].frozenLater?.scope, 'task T1');
      assert.match(buildReport(state), /\*\*test:\*\* `node --test` for `npm test` — recorded after its first run \(task T1\) from package\.json scripts\.test/);
    });
  });

  it('resumes from the copy of the spec kept at the start, and says an edited spec needs a new build', async () => {
    const workspace = makeWorkspace({ 'SPEC.md': spec('node --test') });
    const coder = writeAttempt('T1', { 'add.js': GOOD_ADD, 'add.test.js': ADD_TEST });
    coder[1] = { ...coder[1], faults: Array.from({ length: 4 }, () => ({ type: 'overloaded' as const })) };
    await withServer([planOf([task('T1', ['R1'], ['add.js'])]), ...coder], async (server) => {
      const paused = await manager(workspace, server).manager.start('SPEC.md');
      assert.equal(paused.outcome, 'paused');
      const original = fs.readFileSync(path.join(workspace, 'SPEC.md'), 'utf8');
      assert.equal(fs.readFileSync(path.join(buildDir(workspace), 'spec.md'), 'utf8'), original);

      fs.writeFileSync(path.join(workspace, 'SPEC.md'), original.replace('returns the sum', 'returns the product') + '- R2: a new requirement.\n');
      const second = manager(workspace, server);
      const resumed = await second.manager.resume();
      assert.equal(resumed.outcome, 'verified', resumed.reason);
      const warning = second.events.find((e) => e.type === 'log' && e.level === 'warn' && /changed since this build started/.test(e.message));
      assert.ok(warning && warning.type === 'log');
      assert.match(warning.message, /goes on with the spec as it was then \(its copy, \.munero\/builds\/b-[^/]+\/spec\.md\)\. An edited spec needs a new build\./);
      assert.deepEqual(resumed.requirements.map((r) => r.id), ['R1']);
      const resumedBrief = server.log.filter((e) => e.agent === 'coder').at(-1)!.body as { messages: { content: unknown }[] };
      assert.doesNotMatch(JSON.stringify(resumedBrief.messages[0].content), /product/, 'the coder works from the spec as it started');
    });
  });
});

describe('munero resume --allow-test-changes', function () {
  this.timeout(60_000);
  before(() => {
    const build = spawnSync(process.execPath, ['esbuild.js'], { cwd: repoRoot, encoding: 'utf8' });
    assert.equal(build.status, 0, build.stderr);
  });

  it('approves a flagged test change from the terminal and verifies, exit 0', async () => {
    const workspace = makeWorkspace({ 'SPEC.md': spec('node --test'), 'add.js': GOOD_ADD, 'add.test.js': ADD_TEST, 'extra.test.js': PASSING_EXTRA });
    const only = PASSING_EXTRA.replace("test('still here'", "test.only('still here'");
    await withServer([planOf([task('T1', ['R1'], ['add.js'])]), ...writeAttempt('T1', { 'extra.test.js': only })], async (server) => {
      const paused = await manager(workspace, server).manager.start('SPEC.md');
      assert.equal(paused.outcome, 'paused');
      assert.equal(paused.requirements[0].reason, 'test extra.test.js was weakened (.only added by T1); approve with --allow-test-changes');
      const env = { ...process.env, ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: server.url };
      const cli = (args: string[]) => spawnSync(process.execPath, [path.join(repoRoot, 'dist', 'cli.js'), ...args, '--workspace', workspace], { encoding: 'utf8', env, timeout: 30_000 });
      const help = cli(['resume', '--help']);
      assert.match(help.stdout, /--allow-test-changes/);
      const resumed = cli(['resume', '--allow-test-changes']);
      assert.equal(resumed.status, 0, resumed.stdout + resumed.stderr);
      assert.match(resumed.stdout, /Approved test changes \(--allow-test-changes\): extra\.test\.js \(\.only added\)/);
      assert.match(resumed.stdout, /✓ R1/);
    });
  });
});
