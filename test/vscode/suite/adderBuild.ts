// A one-requirement build in a folder of the test workspace (its own spec, code and test), so a
// test can run a real build beside the fixture's without touching its files.
import type { ScriptTurn } from '../../../src/scripted/scriptTypes';

export const tool = (name: string, input: Record<string, unknown>) => ({ type: 'tool_use' as const, name, input });

/** A spec whose R1 is `add(a, b)` in DIR/add.js, judged by `node --test DIR/add.test.js`. */
export function adderSpec(dir: string, maxIterations: number): string {
  return `---
test_command: node --test ${dir}/add.test.js
max_iterations: ${maxIterations}
---
# ${dir} adder

## Requirements

- R1: \`add(a, b)\` in ${dir}/add.js returns the sum of two numbers.
`;
}

/** The test that traces R1 (its name says R1). */
export const ADDER_TEST = "const test = require('node:test');\nconst assert = require('node:assert');\nconst { add } = require('./add');\ntest('R1: add sums two numbers', () => assert.strictEqual(add(2, 3), 5));\n";

/** The build of adderSpec(dir) that passes at the first attempt: plan, write, complete; each turn `latencyMs` late. */
export function adderTurns(dir: string, latencyMs = 0): ScriptTurn[] {
  return [
    { agent: 'planner', latency_ms: latencyMs, content: [tool('submit_plan', { tasks: [{ id: 'T1', title: 'add', description: `write ${dir}/add.js and its test`, requirements: ['R1'], depends_on: [], files: [`${dir}/add.js`, `${dir}/add.test.js`] }] })] },
    { agent: 'coder', task: 'T1', latency_ms: latencyMs, content: [tool('write_file', { path: `${dir}/add.js`, content: 'exports.add = (a, b) => a + b;\n' }), tool('write_file', { path: `${dir}/add.test.js`, content: ADDER_TEST })] },
    { agent: 'coder', task: 'T1', latency_ms: latencyMs, content: [tool('task_complete', { summary: 'done' })] },
  ];
}
