import assert from 'node:assert/strict';
import { buildReport } from '../../../src/core';
import { makeWorkspace, managerFor, planTurn, serve, tool } from './helpers';

const SPEC = `---
test_command: node --test
max_iterations: 2
---
# calc

## Requirements

- R1: \`add(a, b)\` in add.js returns the sum.
- R2: \`mul(a, b)\` in mul.js returns the product.
`;

const testFile = (fn: string, name: string, comment = '') =>
  `const test = require('node:test');\nconst assert = require('node:assert');\nconst { ${fn} } = require('./${fn}');\n${comment}test(${JSON.stringify(name)}, () => assert.ok(${fn}(2, 3) > 4));\n`;

function session(mulTest: string) {
  return [
    planTurn([
      { id: 'T1', title: 'add', description: 'add.js and add.test.js', requirements: ['R1'], depends_on: [], files: ['add.js', 'add.test.js'] },
      { id: 'T2', title: 'mul', description: 'mul.js and mul.test.js', requirements: ['R2'], depends_on: ['T1'], files: ['mul.js', 'mul.test.js'] },
    ]),
    { agent: 'coder', task: 'T1', content: [tool('write_file', { path: 'add.js', content: 'exports.add = (a, b) => a + b;\n' }), tool('write_file', { path: 'add.test.js', content: testFile('add', 'R1: add sums') })] },
    { agent: 'coder', task: 'T1', content: [tool('task_complete', { summary: 'done' })] },
    { agent: 'coder', task: 'T2', content: [tool('write_file', { path: 'mul.js', content: 'exports.mul = (a, b) => a * b;\n' }), tool('write_file', { path: 'mul.test.js', content: mulTest })] },
    { agent: 'coder', task: 'T2', content: [tool('task_complete', { summary: 'done' })] },
  ];
}

/** The default configuration: tracing on (the engine helpers turn it off for other tests). */
const TRACED = JSON.stringify({ reflection: false });

describe('requirements traced to the tests that prove them', function () {
  this.timeout(60_000);

  it('R1 is verified by the passing test that names it; R2, whose test names no id, is passed, untraced and the build is unmet', async () => {
    const server = await serve(session(testFile('mul', 'multiplies')));
    const workspace = makeWorkspace({ 'SPEC.md': SPEC, '.munero/config.json': TRACED });
    try {
      const { manager, events } = managerFor(workspace, server);
      const result = await manager.start('SPEC.md');
      assert.equal(result.outcome, 'unmet', result.reason);
      assert.match(result.reason, /no passing test names R2 \(passed, untraced\)/);
      assert.deepEqual(result.unmet, ['R2']);
      const [r1, r2] = manager.status()!.requirements;
      assert.equal(r1!.verdict, 'verified');
      assert.deepEqual(r1!.tests, ['R1: add sums']);
      assert.equal(r1!.verifiedBy, 'node --test (R1: add sums)');
      assert.equal(r2!.verdict, 'passed-untraced');
      assert.match(r2!.reason!, /no passing test names R2: name it in a test/);
      assert.ok(events.some((e) => e.type === 'requirement.verdict' && e.id === 'R2' && e.verdict === 'passed-untraced'));
      const report = buildReport(manager.status()!);
      assert.match(report, /\| R1 \| ✅ verified \| .* \| `R1: add sums` \|/);
      assert.match(report, /\| R2 \| ☑️ passed, untraced \|/);
    } finally {
      await server.close();
    }
  });

  it('with traceability off in .munero/config.json, passing checks verify R2 without a test naming it', async () => {
    const server = await serve(session(testFile('mul', 'multiplies')));
    const workspace = makeWorkspace({ 'SPEC.md': SPEC, '.munero/config.json': JSON.stringify({ reflection: false, traceability: false }) });
    try {
      const { manager } = managerFor(workspace, server);
      const result = await manager.start('SPEC.md');
      assert.equal(result.outcome, 'verified', result.reason);
      assert.deepEqual(manager.status()!.requirements.map((r) => [r.id, r.verdict, r.verifiedBy]), [
        ['R1', 'verified', 'node --test (R1: add sums)'],
        ['R2', 'verified', 'node --test (mul.test.js)'],
      ]);
    } finally {
      await server.close();
    }
  });

  it('a `// R2` comment in a test file the passing checks ran traces R2 to that file', async () => {
    const server = await serve(session(testFile('mul', 'multiplies', '// R2\n')));
    const workspace = makeWorkspace({ 'SPEC.md': SPEC, '.munero/config.json': TRACED });
    try {
      const { manager } = managerFor(workspace, server);
      const result = await manager.start('SPEC.md');
      assert.equal(result.outcome, 'verified', result.reason);
      assert.deepEqual(manager.status()!.requirements.map((r) => [r.id, r.verdict, r.tests]), [
        ['R1', 'verified', ['R1: add sums']],
        ['R2', 'verified', ['mul.test.js']],
      ]);
    } finally {
      await server.close();
    }
  });
});
