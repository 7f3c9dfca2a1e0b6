import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { waitFor } from './brainHelpers';
import { addAttempt, ADD_SPEC, BROKEN_ADD, makeWorkspace, managerFor, planTurn, serve, tool } from './helpers';

describe('the feedback loop', function () {
  this.timeout(60_000);

  it('returns an invalid plan to the planner as a tool error it can correct', async () => {
    const bad = planTurn([{ id: 'T1', title: 'x', description: 'x', requirements: ['R9'], depends_on: ['T0'], files: [] as string[] }]);
    const server = await serve([bad, planTurn(), ...addAttempt()]);
    const workspace = makeWorkspace({ 'SPEC.md': ADD_SPEC });
    try {
      const { manager, events } = managerFor(workspace, server);
      const result = await manager.start('SPEC.md');
      assert.equal(result.outcome, 'verified', result.reason);
      const rejected = events.find((e) => e.type === 'plan.rejected');
      assert.ok(rejected && rejected.type === 'plan.rejected');
      assert.ok(rejected.errors.some((e) => e.includes('unknown task "T0"')));
      const second = server.log.filter((e) => e.agent === 'planner')[1].body as { messages: { content: { type: string; is_error?: boolean; content?: string }[] }[] };
      const toolResult = second.messages.at(-1)!.content[0];
      assert.equal(toolResult.type, 'tool_result');
      assert.equal(toolResult.is_error, true);
      assert.match(String(toolResult.content), /Requirement "R1" is served by no task/);
      assert.deepEqual(server.rejected(), []);
    } finally {
      await server.close();
    }
  });

  it('stops when the same failure repeats three times, naming what is unmet', async () => {
    const broken = [...addAttempt('T1', BROKEN_ADD), ...addAttempt('T1', BROKEN_ADD), ...addAttempt('T1', BROKEN_ADD), ...addAttempt('T1', BROKEN_ADD)];
    const server = await serve([planTurn(), ...broken]);
    const workspace = makeWorkspace({ 'SPEC.md': ADD_SPEC.replace('max_iterations: 3', 'max_iterations: 5') });
    try {
      const { manager } = managerFor(workspace, server);
      const result = await manager.start('SPEC.md');
      assert.equal(result.outcome, 'unmet');
      assert.match(result.reason, /same failure repeated 3 times/);
      assert.deepEqual(result.unmet, ['R1']);
      assert.equal(result.requirements[0].verdict, 'failed');
      assert.equal(server.log.filter((e) => e.agent === 'coder').length, 6, 'three attempts, then it stopped');
    } finally {
      await server.close();
    }
  });

  it('stops at the iteration limit', async () => {
    const server = await serve([planTurn(), ...addAttempt('T1', BROKEN_ADD), ...addAttempt('T1', 'exports.add = () => 0;\n'), ...addAttempt()]);
    const workspace = makeWorkspace({ 'SPEC.md': ADD_SPEC });
    try {
      const { manager } = managerFor(workspace, server);
      const result = await manager.start('SPEC.md', { maxIterations: 2 });
      assert.equal(result.outcome, 'unmet');
      assert.match(result.reason, /iteration limit \(2\)/);
      assert.equal(manager.status()!.iteration, 2);
    } finally {
      await server.close();
    }
  });

  it('refuses a disallowed command and a path escape as tool errors, and the build goes on', async () => {
    const server = await serve([
      planTurn(),
      { agent: 'coder', task: 'T1', content: [tool('run_command', { command: 'rm -rf /tmp/x' }), tool('write_file', { path: '../outside.js', content: 'x' })] },
      ...addAttempt(),
    ]);
    const workspace = makeWorkspace({ 'SPEC.md': ADD_SPEC });
    try {
      const { manager } = managerFor(workspace, server);
      const result = await manager.start('SPEC.md');
      assert.equal(result.outcome, 'verified', result.reason);
      const body = server.log.filter((e) => e.agent === 'coder')[1].body as { messages: { content: { is_error?: boolean; content?: string }[] }[] };
      const [cmd, write] = body.messages.at(-1)!.content;
      assert.equal(cmd.is_error, true);
      assert.match(String(cmd.content), /not allowed/i);
      assert.equal(write.is_error, true);
      assert.equal(fs.existsSync(path.join(path.dirname(workspace), 'outside.js')), false);
    } finally {
      await server.close();
    }
  });

  it('stops before a request that could pass the cost cap, and says which cap', async () => {
    const server = await serve([planTurn(), ...addAttempt()]);
    const workspace = makeWorkspace({ 'SPEC.md': ADD_SPEC });
    try {
      const { manager, events } = managerFor(workspace, server);
      // One request could cost up to 8,192 output tokens × $15/M ≈ $0.12: a $0.05 cap allows none.
      const result = await manager.start('SPEC.md', { maxCostUsd: 0.05 });
      assert.equal(result.outcome, 'unmet');
      assert.match(result.reason, /cost cap of \$0\.05/);
      assert.match(result.reason, /--max-cost-usd/);
      assert.equal(server.log.length, 0, 'no request was sent that could pass the cap');
      assert.ok(events.some((e) => e.type === 'budget' && e.cap === 'max-cost-usd'));
    } finally {
      await server.close();
    }
  });

  it('refuses a second build while one holds the workspace', async () => {
    const server = await serve([{ ...planTurn(), latency_ms: 3000 }, ...addAttempt()]);
    const workspace = makeWorkspace({ 'SPEC.md': ADD_SPEC });
    try {
      const first = managerFor(workspace, server).manager.start('SPEC.md');
      await waitFor(() => fs.existsSync(path.join(workspace, '.munero', 'lock')));
      await assert.rejects(managerFor(workspace, server).manager.start('SPEC.md'), /already running in this workspace/);
      assert.equal((await first).outcome, 'verified');
    } finally {
      await server.close();
    }
  });
});
