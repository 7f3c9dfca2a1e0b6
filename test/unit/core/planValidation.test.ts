import assert from 'node:assert/strict';
import { topologicalOrder, validatePlan } from '../../../src/core/loop/planValidation';
import type { PlanTask } from '../../../src/core/state/buildState';

const task = (id: string, requirements: string[], depends_on: string[] = []): PlanTask => ({ id, title: id, description: '', requirements, depends_on, files: [] });

describe('plan validation', () => {
  it('accepts a DAG that serves every requirement', () => {
    assert.deepEqual(validatePlan([task('T1', ['R1']), task('T2', ['R2'], ['T1'])], ['R1', 'R2']), []);
  });

  it('names duplicate ids, unknown dependencies, unknown and unserved requirements', () => {
    const problems = validatePlan([task('T1', ['R1']), task('T1', ['R9'], ['T7'])], ['R1', 'R2']);
    assert.ok(problems.some((p) => p.includes('"T1" is used more than once')));
    assert.ok(problems.some((p) => p.includes('unknown task "T7"')));
    assert.ok(problems.some((p) => p.includes('unknown requirement "R9"')));
    assert.ok(problems.some((p) => p.includes('"R2" is served by no task')));
  });

  it('finds a cycle and shows it', () => {
    const problems = validatePlan([task('A', ['R1'], ['C']), task('B', ['R1'], ['A']), task('C', ['R1'], ['B'])], ['R1']);
    const cycle = problems.find((p) => p.includes('cycle'));
    assert.ok(cycle, problems.join('\n'));
    assert.match(cycle, /A → C → B → A|B → A → C → B|C → B → A → C/);
  });

  it('orders tasks after their dependencies', () => {
    const order = topologicalOrder([task('T3', ['R1'], ['T2']), task('T1', ['R1']), task('T2', ['R1'], ['T1'])]).map((t) => t.id);
    assert.deepEqual(order, ['T1', 'T2', 'T3']);
  });
});
