import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { buildReport, type BuildBreakdown, type BuildManager } from '../../../src/core';
import type { ScriptedServer } from '../../../src/scripted/server';
import { ADD_TEST, attemptBriefs, brainWorkspace, buildJson, GOOD_ADD, planOf, task, writeAttempt } from './brainHelpers';
import { BROKEN_ADD, managerFor, repoRoot, serve } from './helpers';

// A check that takes a measurable while: a pause, then the tests.
const SPEC = `---
test_command: node -e "setTimeout(() => {}, 300)" && node --test
max_iterations: 4
---
# adder

## Requirements

- R1: \`add(a, b)\` in add.js returns the sum of two numbers.
`;
const PLAN = planOf([task('T1', ['R1'], ['add.js', 'add.test.js'])]);

function munero(command: string, workspace: string, json: boolean) {
  const args = ['--import', 'tsx', path.join(repoRoot, 'src', 'cli', 'main.ts'), command, '--workspace', workspace, ...(json ? ['--json'] : [])];
  return spawnSync(process.execPath, args, { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
}

describe('where the time and money went (issue 12)', function () {
  this.timeout(120_000);
  const workspace = brainWorkspace({ 'SPEC.md': SPEC }, { reflection: false });
  let first: { manager: BuildManager; breakdown: BuildBreakdown; state: any };
  let second: { manager: BuildManager; breakdown: BuildBreakdown; server: ScriptedServer };

  before(async () => {
    // Build 1: the first attempt subtracts and fails its check; the second passes.
    const server1 = await serve([PLAN, ...writeAttempt('T1', { 'add.js': BROKEN_ADD, 'add.test.js': ADD_TEST }), ...writeAttempt('T1', { 'add.js': GOOD_ADD, 'add.test.js': ADD_TEST })]);
    try {
      const { manager } = managerFor(workspace, server1);
      assert.equal((await manager.start('SPEC.md')).outcome, 'verified');
      first = { manager, breakdown: manager.breakdown()!, state: buildJson(workspace) };
    } finally {
      await server1.close();
    }
    // Build 2 of the same spec: the task matches build 1's verified one.
    const server2 = await serve([PLAN, ...writeAttempt('T1', { 'add.js': GOOD_ADD, 'add.test.js': ADD_TEST })]);
    const { manager } = managerFor(workspace, server2);
    assert.equal((await manager.start('SPEC.md')).outcome, 'verified');
    second = { manager, breakdown: manager.breakdown()!, server: server2 };
  });
  after(() => second?.server.close());

  it('splits the wall time into checks, model, tools, waiting and engine time that add up to it, matching the build clock within 2%', () => {
    const b = first.breakdown;
    const w = b.wall;
    const sum = w.checksMs + w.modelMs + w.toolsMs + w.waitingMs + w.idleMs;
    assert.ok(Math.abs(sum - b.wallMs) <= b.wallMs * 0.02, `parts ${sum} ms, wall ${b.wallMs} ms`);
    // The build's own clock (the budget guard's, not the events') agrees with the events' wall time.
    const elapsed = first.state.elapsedMs as number;
    assert.ok(Math.abs(elapsed - b.wallMs) <= b.wallMs * 0.02, `events say ${b.wallMs} ms, the build clock ${elapsed} ms`);
    // Four check runs (attempt 1 and its iteration fail, attempt 2 and its iteration pass), each pausing 300 ms: the checks' share is real.
    const test = b.checks.find((c) => c.name === 'test')!;
    assert.equal(test.runs, 4);
    assert.equal(test.failed, 2);
    assert.ok(w.checksMs >= 1200, `checks ${w.checksMs} ms`);
    assert.ok(w.checksMs >= test.totalMs * 0.9, `split ${w.checksMs} ms vs runs ${test.totalMs} ms`);
    assert.ok(w.modelMs > 0 && w.toolsMs > 0, JSON.stringify(w));
    assert.equal(b.model.requests, 5, 'plan + two coder turns per attempt');
    assert.ok(b.model.firstTokenMs <= b.model.totalMs && b.model.streamingMs >= 0);
    assert.deepEqual(b.tools.map((t) => t.tool).sort(), ['submit_plan', 'task_complete', 'write_file']);
    assert.equal(b.tools.find((t) => t.tool === 'write_file')!.calls, 4);
  });

  it('gives tokens and cost by role, task and requirement, and the resources used', () => {
    const b = first.breakdown;
    assert.deepEqual(b.cost.byRole.map((r) => r.key).sort(), ['coder', 'planner']);
    const total = b.cost.byRole.reduce((n, r) => n + r.costUsd, 0);
    assert.ok(Math.abs(total - first.state.usage.costUsd) < 1e-9);
    assert.ok(b.cost.byTask.some((r) => r.key === 'T1' && r.requests === 4));
    assert.ok(b.cost.byRequirement.some((r) => r.key === 'R1' && r.costUsd > 0));
    assert.ok(b.resources.enginePeakRssBytes! > 10 * 1024 * 1024);
    assert.ok(b.resources.stateBytes! > 0);
    if (process.platform === 'linux') {
      assert.ok(b.checks[0].cpuMs !== undefined && b.checks[0].cpuMs > 0, 'node --test burns CPU that /proc sampling sees');
      assert.ok(b.checks[0].peakRssBytes! > 1024 * 1024);
    }
  });

  it('names the retried task as a bottleneck, with its cost, in the report', () => {
    const checks = first.breakdown.bottlenecks.find((x) => x.kind === 'checks');
    // A compound test command cannot be narrowed to the affected tests, so every run was the whole suite.
    assert.match(checks?.message ?? '', /^checks took \d+% of the wall time: 4 full-suite runs, the costliest `node -e .* --test` \(4 runs, \d+\.\d s each on average\)$/);
    assert.match(checks!.advice, /^enable affected-test runs/);
    const retry = first.breakdown.bottlenecks.find((x) => x.kind === 'retries');
    assert.ok(retry, JSON.stringify(first.breakdown.bottlenecks));
    assert.match(retry.message, /^task T1 took 2 attempts: \$\d+\.\d\d, \d+\.\d s$/);
    const report = buildReport(first.manager.status() ?? first.state, first.breakdown);
    assert.match(report, /## Where the time and money went/);
    assert.match(report, /- task T1 took 2 attempts/);
    assert.match(report, /\| role \| coder \|/);
  });

  it('offers the first build\'s verified change to the second build\'s coder, and says it helped', () => {
    const [brief] = attemptBriefs(second.server, 'T1');
    assert.match(brief, /A similar task was verified in an earlier build of this workspace/);
    assert.match(brief, /Its change:\n[\s\S]*\+exports\.add = \(a, b\) => a \+ b;/);
    assert.deepEqual(second.breakdown.solutionReuse, { offered: 1, passedFirstAttempt: 1, tasks: ['T1'] });
    assert.match(buildReport(second.manager.status()!, second.breakdown), /offered as a reference: 1 times \(T1\); 1 of those tasks passed on the first attempt/);
  });

  it('munero stats prints the trends of both builds, as a table and as JSON', () => {
    const json = munero('stats', workspace, true);
    assert.equal(json.status, 0, json.stderr);
    const builds = JSON.parse(json.stdout).builds;
    assert.equal(builds.length, 2);
    assert.deepEqual(builds.map((b: any) => b.firstAttemptPassRate), [0, 1]);
    assert.deepEqual(builds.map((b: any) => b.verified), [1, 1]);
    assert.ok(builds[0].costPerVerified > builds[1].costPerVerified, 'the retried build cost more per verified requirement');
    assert.ok(builds[0].checkMsPerTask > builds[1].checkMsPerTask, 'four check runs against two');
    const table = munero('stats', workspace, false);
    assert.equal(table.status, 0, table.stderr);
    const lines = table.stdout.trim().split('\n');
    assert.match(lines[0], /^build\s+outcome\s+verified\s+cost\s+\$\/verified req\s+iter\/req\s+check s\/task\s+1st-attempt pass\s+time$/);
    assert.equal(lines.length, 3);
    assert.match(lines[1], /verified\s+1\/1 .* 0%/);
    assert.match(lines[2], /verified\s+1\/1 .* 100%/);
  });

  it('munero status --json carries the current build\'s breakdown beside its state', () => {
    const status = munero('status', workspace, true);
    assert.equal(status.status, 0, status.stderr);
    const doc = JSON.parse(status.stdout);
    assert.equal(doc.id, second.breakdown.buildId);
    assert.deepEqual(doc.breakdown.wall, second.breakdown.wall);
    assert.deepEqual(doc.breakdown.solutionReuse, second.breakdown.solutionReuse);
  });
});
