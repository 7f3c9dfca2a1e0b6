import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { BuildManager } from '../../../src/core';
import { ADD_TEST, GOOD_ADD, specOf } from './brainHelpers';
import { makeWorkspace, planTurn, serve, tool } from './helpers';

describe('files that commands change', function () {
  this.timeout(90_000);

  it('are checkpointed like tool writes, so a rollback returns them too', async () => {
    const workspace = makeWorkspace({ 'SPEC.md': specOf(['`add(a, b)` in add.js returns the sum of two numbers.']), 'data.txt': 'original data\n', 'stale.txt': 'deleted by the test\n' });
    // A test that writes a fixture, rewrites a file and deletes another: what real suites and formatters do.
    const sideEffects = [
      "const test = require('node:test');",
      "const fs = require('node:fs');",
      "test('side effects', () => { fs.writeFileSync('fixture.json', '{}'); fs.writeFileSync('data.txt', 'rewritten by a test\\n'); fs.rmSync('stale.txt', { force: true }); });",
      '',
    ].join('\n');
    const server = await serve([
      planTurn(),
      { agent: 'coder', task: 'T1', content: [tool('write_file', { path: 'add.js', content: GOOD_ADD }), tool('write_file', { path: 'add.test.js', content: ADD_TEST }), tool('write_file', { path: 'effects.test.js', content: sideEffects })] },
      { agent: 'coder', task: 'T1', content: [tool('task_complete', { summary: 'done' })] },
    ]);
    try {
      const manager = new BuildManager({ workspaceRoot: workspace, env: { apiKey: 'test-key', baseURL: server.url } });
      const result = await manager.start('SPEC.md');
      assert.equal(result.outcome, 'verified', result.reason);
      assert.equal(fs.readFileSync(path.join(workspace, 'data.txt'), 'utf8'), 'rewritten by a test\n');
      assert.equal(fs.existsSync(path.join(workspace, 'fixture.json')), true);

      const changes = fs.readFileSync(path.join(workspace, '.munero', 'builds', result.buildId, 'changes.jsonl'), 'utf8');
      assert.match(changes, /"tool":"command".*"path":"data\.txt"|"path":"data\.txt".*"tool":"command"/);

      const rollback = manager.rollback();
      assert.deepEqual(rollback.kept, []);
      assert.equal(fs.readFileSync(path.join(workspace, 'data.txt'), 'utf8'), 'original data\n');
      assert.equal(fs.readFileSync(path.join(workspace, 'stale.txt'), 'utf8'), 'deleted by the test\n');
      for (const made of ['fixture.json', 'add.js', 'add.test.js', 'effects.test.js']) assert.equal(fs.existsSync(path.join(workspace, made)), false, made);
    } finally {
      await server.close();
    }
  });
});
