import assert from 'node:assert/strict';
import type Anthropic from '@anthropic-ai/sdk';
import { ContextWindow } from '../../../src/core/agents/contextWindow';
import { globToRegExp } from '../../../src/core/agents/registry';
import { CheckRunner } from '../../../src/core/loop/checkRunner';
import { diffPlans } from '../../../src/core/loop/planDiff';
import type { PlanTask } from '../../../src/core/state/buildState';
import type { CheckResult } from '../../../src/core/validation/checks';

describe('loop parts', () => {
  it('CheckRunner: callers during a run share the next run, which starts after it', async () => {
    const scopes: string[] = [];
    let release!: () => void;
    const runner = new CheckRunner(async (scope) => {
      scopes.push(scope);
      if (scopes.length === 1) await new Promise<void>((r) => (release = r));
      return [] as CheckResult[];
    });
    const first = runner.run('task T1');
    const second = runner.run('task T2');
    const third = runner.run('task T3');
    assert.equal(second, third, 'T2 and T3 share one pending run');
    release();
    await Promise.all([first, second, third]);
    assert.deepEqual(scopes, ['task T1', 'task T2, task T3']);
    await runner.run('iteration 1');
    assert.deepEqual(scopes.at(-1), 'iteration 1', 'an idle runner starts at once');
  });

  it('ContextWindow: elides old tool results in one step and keeps the boundary until the budget is passed again', () => {
    const window = new ContextWindow(10_000);
    const messages: Anthropic.MessageParam[] = [{ role: 'user', content: 'brief' }];
    const sizes: number[] = [];
    const boundaries: number[] = [];
    for (let i = 0; i < 20; i++) {
      messages.push({ role: 'assistant', content: [{ type: 'tool_use', id: `t${i}`, name: 'read_file', input: { path: 'a' } }] });
      messages.push({ role: 'user', content: [{ type: 'tool_result', tool_use_id: `t${i}`, content: 'x'.repeat(1500) }] });
      const view = window.view(messages);
      sizes.push(JSON.stringify(view).length);
      boundaries.push(window.boundary);
      assert.equal(view.length, messages.length, 'structure kept: every tool_use still has its result');
    }
    assert.ok(Math.max(...sizes) < 14_000, `bounded: ${Math.max(...sizes)}`);
    const moves = boundaries.filter((b, i) => i > 0 && b !== boundaries[i - 1]).length;
    assert.ok(moves >= 1 && moves <= 5, `the boundary moved ${moves} times in 20 turns`);
    const last = window.view(messages);
    const oldest = last[2].content as Anthropic.ToolResultBlockParam[];
    assert.match(String(oldest[0].content), /characters elided/);
    const newest = last.at(-1)!.content as Anthropic.ToolResultBlockParam[];
    assert.equal(newest[0].content, 'x'.repeat(1500), 'the newest result is whole');
  });

  it('globs match paths the way agents.json users expect', () => {
    assert.ok(globToRegExp('docs/**').test('docs/a/b.md'));
    assert.ok(globToRegExp('**/*.css').test('web/site.css'));
    assert.ok(globToRegExp('**/*.css').test('site.css'));
    assert.ok(!globToRegExp('docs/*.md').test('docs/a/b.md'));
    assert.ok(!globToRegExp('src/?.ts').test('src/ab.ts'));
  });

  it('diffPlans names added, removed and changed tasks', () => {
    const t = (id: string, title = id): PlanTask => ({ id, title, description: '', requirements: ['R1'], depends_on: [], files: [] });
    assert.deepEqual(diffPlans([t('T1'), t('T2')], [t('T1', 'renamed'), t('T3')]), { added: ['T3'], removed: ['T2'], changed: ['T1'] });
  });
});
