import assert from 'node:assert/strict';
import type Anthropic from '@anthropic-ai/sdk';
import { ContextWindow } from '../../../src/core/agents/contextWindow';
import { globToRegExp } from '../../../src/core/agents/registry';
import { BudgetExceededError, BudgetGuard } from '../../../src/core/loop/budget';
import { CheckRunner } from '../../../src/core/loop/checkRunner';
import { diffPlans } from '../../../src/core/loop/planDiff';
import type { BuildState, PlanTask } from '../../../src/core/state/buildState';
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

  it('CheckRunner: a shared run covers the union of the tasks asking, or the whole suite when one asks for it; maxConcurrent 2 lets two run at once', async () => {
    const calls: { scope: string; taskIds?: string[] }[] = [];
    const releases: (() => void)[] = [];
    const runner = new CheckRunner(async (scope, taskIds) => {
      calls.push({ scope, taskIds });
      await new Promise<void>((r) => releases.push(r));
      return [] as CheckResult[];
    }, 2);
    const runs = [runner.run('task T1', ['T1']), runner.run('task T2', ['T2']), runner.run('task T3', ['T3']), runner.run('task T4', ['T4'])];
    assert.deepEqual(calls.map((c) => c.scope), ['task T1', 'task T2'], 'two run at once, the rest wait');
    const full = runner.run('iteration 1');
    releases[0]();
    await runs[0];
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(calls[2], { scope: 'task T3, task T4, iteration 1', taskIds: undefined }, 'the whole suite covers them all');
    assert.equal(runs[2], full);
    releases.forEach((r) => r());
    await Promise.all([...runs, full].map((p) => p.then(() => undefined)));
    releases.forEach((r) => r());
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

describe('the budget guard', () => {
  const price = { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 };
  const state = (maxCostUsd: number) =>
    ({ options: { maxCostUsd }, usage: { costUsd: 0.7, inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, requests: 0 }, tasks: {} }) as unknown as BuildState;

  it('holds the worst case of requests in flight, so parallel agents cannot pass a cap together', () => {
    const guard = new BudgetGuard(() => state(1.05), Date.now());
    // Each request: 1,000 input tokens at the cache-write price + 10,000 output tokens ≈ $0.154.
    const estimate = { inputTokens: 1000, maxOutputTokens: 10_000, price };
    const first = guard.beforeRequest(undefined, estimate);
    guard.beforeRequest(undefined, estimate);
    assert.throws(() => guard.beforeRequest(undefined, estimate), (e: unknown) => e instanceof BudgetExceededError && e.cap === 'max-cost-usd');
    first();
    guard.beforeRequest(undefined, estimate);
  });

  it('prices input at the dearer of the input and cache-write prices', () => {
    const guard = new BudgetGuard(() => state(0.7 + 0.0037), Date.now());
    // 1,000 tokens: $0.003 at the input price would fit; $0.00375 at the cache-write price does not.
    assert.throws(() => guard.beforeRequest(undefined, { inputTokens: 1000, maxOutputTokens: 0, price }), BudgetExceededError);
  });
});
