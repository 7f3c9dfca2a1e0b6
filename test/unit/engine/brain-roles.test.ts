import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { CODER_SYSTEM } from '../../../src/core/agents/prompts';
import { managerFor, serve, tool } from './helpers';
import {
  ADD_TEST,
  assertNoRejects,
  attempt,
  bodyOf,
  brainWorkspace,
  briefOf,
  buildJson,
  eventsOf,
  GOOD_ADD,
  lastToolResults,
  planOf,
  requestsOf,
  specOf,
  task,
  writeAttempt,
  MUL_REQ,
  MUL_TEST,
} from './brainHelpers';

const ADD_REQ = '`add(a, b)` in add.js returns the sum of two numbers, negative numbers included.';

describe('brain: the reviewer', function () {
  this.timeout(60_000);

  it('sends a change back with its reasons, and approves the fixed one', async () => {
    const reasons = 'REVIEW-1: no test covers negative numbers, which R1 asks for.';
    const server = await serve([
      planOf([task('T1', ['R1'], ['add.js', 'add.test.js'])]),
      { agent: 'coder', task: 'T1', content: [tool('write_file', { path: 'add.js', content: GOOD_ADD }), tool('write_file', { path: 'add.test.js', content: ADD_TEST })] },
      { agent: 'coder', task: 'T1', content: [tool('task_complete', { summary: 'add.js and its test' })] },
      { agent: 'reviewer', task: 'T1', content: [tool('read_file', { path: 'add.test.js' })] },
      { agent: 'reviewer', task: 'T1', content: [tool('submit_review', { verdict: 'reject', reasons })] },
      {
        agent: 'coder',
        task: 'T1',
        content: [tool('edit_file', { path: 'add.test.js', old_text: "test('adds'", new_text: "test('adds negatives', () => assert.strictEqual(add(-2, -3), -5));\ntest('adds'" })],
        expect: { tool_results_contain: ['The reviewer sent the change back', 'REVIEW-1'] },
      },
      { agent: 'coder', task: 'T1', content: [tool('task_complete', { summary: 'added the negative-number test' })] },
      { agent: 'reviewer', task: 'T1', content: [tool('submit_review', { verdict: 'approve', reasons: 'Covered now.' })] },
    ]);
    const workspace = brainWorkspace({ 'SPEC.md': specOf([ADD_REQ]) }, { reflection: false, reviewer: true });
    try {
      const { manager, events } = managerFor(workspace, server);
      const result = await manager.start('SPEC.md');
      assert.equal(result.outcome, 'verified', result.reason);

      const reviewer = requestsOf(server, 'reviewer', 'T1');
      assert.equal(reviewer.length, 3);
      const tools = bodyOf(reviewer[0]).tools.map((t) => t.name);
      assert.ok(tools.includes('read_file') && tools.includes('submit_review'), tools.join(', '));
      assert.ok(!tools.includes('write_file'), 'the reviewer cannot write');
      assert.match(briefOf(reviewer[0]), /--- add\.js \(created\)/);
      assert.match(briefOf(reviewer[0]), /The coder's summary: add\.js and its test/);
      assert.match(briefOf(reviewer[2]), /adds negatives/, 'the second review sees the fix');

      const coder = requestsOf(server, 'coder', 'T1');
      assert.equal(coder.length, 4, 'one attempt: the rejection came back inside it');
      const [sentBack] = lastToolResults(coder[2]);
      assert.equal(sentBack.is_error, true);
      assert.ok(sentBack.content.startsWith(`The reviewer sent the change back: ${reasons}`), sentBack.content);

      const reviews = eventsOf(events, 'review');
      assert.deepEqual(reviews.map((r) => [r.taskId, r.approved]), [['T1', false], ['T1', true]]);
      assert.equal(reviews[0].reasons, reasons);
      // The checks ran once, after the approval.
      const validations = eventsOf(events, 'validation.started').filter((e) => e.scope === 'task T1');
      assert.equal(validations.length, 1);
      assert.ok(reviews[1].seq < validations[0].seq);
      assert.equal(buildJson(workspace).tasks.T1.attempts, 1);
      assertNoRejects(server);
    } finally {
      await server.close();
    }
  });
});

describe('brain: the agent registry', function () {
  this.timeout(60_000);

  it('sends a task whose planned files are all under docs/ to the docs-writer role', async () => {
    const agents = { roles: { 'docs-writer': { extends: 'coder', system: 'You write docs only.', files: ['docs/**'] } } };
    const server = await serve([
      planOf([task('T1', ['R1'], ['docs/guide.md', 'docs/api/add.md']), task('T2', ['R2'], ['add.js', 'docs/add.md'])]),
      ...writeAttempt('T1', { 'docs/guide.md': '# Guide\n', 'docs/api/add.md': '# add\n' }),
      ...writeAttempt('T2', { 'add.js': GOOD_ADD, 'add.test.js': ADD_TEST }),
    ]);
    const workspace = brainWorkspace(
      { 'SPEC.md': specOf(['docs/guide.md explains the project.', ADD_REQ]), '.munero/agents.json': JSON.stringify(agents) },
      { reflection: false, parallel: 1 },
    );
    try {
      const { manager } = managerFor(workspace, server);
      const result = await manager.start('SPEC.md');
      assert.equal(result.outcome, 'verified', result.reason);
      const docs = requestsOf(server, 'coder', 'T1');
      assert.equal(docs.length, 2);
      for (const r of docs) assert.equal(bodyOf(r).system[0].text, 'You write docs only.');
      assert.ok(bodyOf(docs[0]).tools.some((t) => t.name === 'write_file'), 'it extends the coder: same tools');
      // T2 also touches docs/, but not only docs/: the plain coder.
      for (const r of requestsOf(server, 'coder', 'T2')) assert.equal(bodyOf(r).system[0].text, CODER_SYSTEM);
      assertNoRejects(server);
    } finally {
      await server.close();
    }
  });

  it('refuses to start a build when agents.json names an unknown tool', async () => {
    const agents = { roles: { 'docs-writer': { extends: 'coder', tools: ['read_file', 'teleport_file'], files: ['docs/**'] } } };
    const server = await serve([planOf([task('T1', ['R1'], ['add.js'])]), ...writeAttempt('T1', { 'add.js': GOOD_ADD, 'add.test.js': ADD_TEST })]);
    const workspace = brainWorkspace({ 'SPEC.md': specOf([ADD_REQ]), '.munero/agents.json': JSON.stringify(agents) }, { reflection: false });
    try {
      await assert.rejects(managerFor(workspace, server).manager.start('SPEC.md'), (err: Error) => {
        assert.match(err.message, /\.munero[\\/]agents\.json/);
        assert.match(err.message, /unknown tool "teleport_file"/);
        assert.match(err.message, /role "docs-writer"/);
        return true;
      });
      assert.equal(server.log.length, 0, 'no request was made');
      // Once the file is fixed, a build starts: the failed start left no lock behind.
      fs.unlinkSync(path.join(workspace, '.munero', 'agents.json'));
      const result = await managerFor(workspace, server).manager.start('SPEC.md');
      assert.equal(result.outcome, 'verified', result.reason);
      assertNoRejects(server);
    } finally {
      await server.close();
    }
  });

  it('leaves no resumable "running" build behind when agents.json is invalid', async () => {
    const agents = { roles: { helper: { tools: ['teleport_file'] } } };
    const server = await serve([]);
    const workspace = brainWorkspace({ 'SPEC.md': specOf([ADD_REQ]), '.munero/agents.json': JSON.stringify(agents) }, { reflection: false });
    try {
      const { manager } = managerFor(workspace, server);
      await assert.rejects(manager.start('SPEC.md'), /teleport_file/);
      assertNoRejects(server);
      const status = manager.status();
      assert.ok(status === undefined || status.status !== 'running', `a build that never started is left as "${status?.status}" (${status?.id})`);
    } finally {
      await server.close();
    }
  });
});

describe('brain: requirement verdicts', function () {
  this.timeout(60_000);

  it('names the check command and the passing tests that name each verified requirement', async () => {
    const server = await serve([
      planOf([task('T1', ['R1'], ['add.js', 'add.test.js']), task('T2', ['R2'], ['mul.js', 'test/mul.test.js'])]),
      ...writeAttempt('T1', { 'add.js': GOOD_ADD, 'add.test.js': ADD_TEST.replace("'adds'", "'R1: adds'") }),
      ...writeAttempt('T2', { 'mul.js': 'exports.mul = (a, b) => a * b;\n', 'test/mul.test.js': MUL_TEST.replace("'./mul'", "'../mul'").replace("'multiplies'", "'R2: multiplies'") }),
    ]);
    const workspace = brainWorkspace({ 'SPEC.md': specOf([ADD_REQ, MUL_REQ]) }, { reflection: false, traceability: true });
    try {
      const { manager, events } = managerFor(workspace, server);
      const result = await manager.start('SPEC.md');
      assert.equal(result.outcome, 'verified', result.reason);
      const [r1, r2] = result.requirements;
      assert.equal(r1.verdict, 'verified');
      assert.equal(r1.verifiedBy, 'node --test (R1: adds)');
      assert.equal(r2.verifiedBy, 'node --test (R2: multiplies)');
      assert.deepEqual([r1.tests, r2.tests], [['R1: adds'], ['R2: multiplies']]);
      const verdicts = eventsOf(events, 'requirement.verdict');
      assert.deepEqual(verdicts.map((v) => [v.id, v.verdict, v.verifiedBy]), [
        ['R1', 'verified', 'node --test (R1: adds)'],
        ['R2', 'verified', 'node --test (R2: multiplies)'],
      ]);
      assert.deepEqual(buildJson(workspace).requirements.map((r: { verifiedBy?: string }) => r.verifiedBy), [r1.verifiedBy, r2.verifiedBy]);
      assertNoRejects(server);
    } finally {
      await server.close();
    }
  });

  it("marks an escalated task's requirement failed, with the reason", async () => {
    const server = await serve([
      planOf([task('T1', ['R1'], ['add.js', 'add.test.js']), task('T2', ['R2'], ['mul.js'])]),
      ...writeAttempt('T1', { 'add.js': GOOD_ADD, 'add.test.js': ADD_TEST }),
      ...attempt('T2', [[tool('list_files', {})], [tool('list_files', {})], [tool('list_files', {})]]),
    ]);
    const workspace = brainWorkspace({ 'SPEC.md': specOf([ADD_REQ, MUL_REQ]) }, { reflection: false, parallel: 1 });
    try {
      const { manager, events } = managerFor(workspace, server);
      const result = await manager.start('SPEC.md');
      assert.equal(result.outcome, 'unmet');
      const r2 = result.requirements.find((r) => r.id === 'R2')!;
      assert.equal(r2.verdict, 'failed');
      assert.match(r2.reason ?? '', /^task T2 escalated: loop guard: .*list_files call was repeated 3 times/);
      assert.equal(r2.verifiedBy, undefined);
      assert.ok(eventsOf(events, 'requirement.verdict').some((v) => v.id === 'R2' && v.verdict === 'failed' && v.reason === r2.reason));
      assert.ok(result.unmet.includes('R2'));
      assertNoRejects(server);
    } finally {
      await server.close();
    }
  });
});
